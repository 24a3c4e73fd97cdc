import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "./button";
import { Input } from "./field";

/**
 * A GET search box over a list: the query goes in `q`, `hidden` keeps the other filters, "Clear"
 * appears once something was searched, and `children` (a result count) sits at the end of the row.
 */
export function SearchForm(props: {
  id: string;
  label: string;
  value: string;
  clearHref: string;
  action?: string;
  hidden?: Record<string, string | null | undefined>;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <form role="search" method="get" action={props.action} className={`flex flex-wrap items-center gap-2 ${props.className ?? ""}`}>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <label htmlFor={props.id} className="sr-only">
        {props.label}
      </label>
      <Input id={props.id} name="q" type="search" defaultValue={props.value} placeholder={props.label} className="max-w-sm" />
      <Button type="submit" variant="secondary">
        Search
      </Button>
      {props.value ? (
        <Link href={props.clearHref} className="text-sm text-slate-500 hover:text-slate-800">
          Clear
        </Link>
      ) : null}
      {props.children}
    </form>
  );
}
