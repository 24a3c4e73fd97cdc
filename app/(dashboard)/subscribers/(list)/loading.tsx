import { TablePageSkeleton } from "@/components/ui/table-page-skeleton";

export default function SubscribersLoading() {
  return <TablePageSkeleton label="Loading subscribers" header={["w-40", "w-80", "w-40"]} columns={["w-56", "w-32", "w-20", "w-16", "w-24"]} />;
}
