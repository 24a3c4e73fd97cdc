import { TablePageSkeleton } from "@/components/ui/table-page-skeleton";

export default function DeliveriesLoading() {
  return <TablePageSkeleton label="Loading deliveries" header={["w-36", "w-96", "w-64"]} tabs={7} columns={["w-48", "w-56", "w-20", "w-40", "w-24"]} />;
}
