"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { PropertyTypeBadge } from "@/components/properties/property-type-badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { EmptyState, Notice } from "@/components/ui/notice";
import { slugifyPropertyKey } from "@/lib/properties/property-key";
import { propertyTypeLabels, propertyTypes, type PropertyType } from "@/lib/properties/types";
import { createPropertyAction, renamePropertyAction } from "./actions";

export interface PropertyRow {
  id: string;
  name: string;
  key: string;
  type: PropertyType;
  intercomSource: string | null;
}

export function PropertiesClient({ properties }: { properties: PropertyRow[] }) {
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <Card>
        <CardHeader title="Properties" description={`${properties.length} ${properties.length === 1 ? "property" : "properties"}`} />
        {properties.length === 0 ? (
          <CardBody>
            <EmptyState title="No custom properties yet">
              Create one here, or create them while mapping Intercom attributes under{" "}
              <Link className="font-medium text-brand-600 hover:text-brand-700" href="/settings/integrations/intercom/properties">
                Property mappings
              </Link>
              .
            </EmptyState>
          </CardBody>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-6 py-3">Name</th>
                  <th className="px-6 py-3">Key</th>
                  <th className="px-6 py-3">Type</th>
                  <th className="px-6 py-3">Filled from</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {properties.map((p) => (
                  <PropertyTableRow key={p.id} property={p} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <CreatePropertyCard />
    </div>
  );
}

function PropertyTableRow({ property }: { property: PropertyRow }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(property.name);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await renamePropertyAction({ propertyId: property.id, name });
      if (!result.ok) {
        setError(result.fieldErrors?.name ?? result.error);
        return;
      }
      setEditing(false);
      router.refresh();
    });
  }

  return (
    <tr className="align-top">
      <td className="px-6 py-3">
        {editing ? (
          <form onSubmit={save} className="flex flex-wrap items-center gap-2">
            <Input aria-label="Property name" className="w-48" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
            <Button
              type="button"
              variant="ghost"
              onClick={() => {
                setEditing(false);
                setName(property.name);
                setError(null);
              }}
            >
              Cancel
            </Button>
            {error ? <p className="w-full text-sm text-red-600">{error}</p> : null}
          </form>
        ) : (
          <div className="flex items-center gap-2">
            <span className="font-medium text-slate-900">{property.name}</span>
            <button
              type="button"
              className="text-xs font-medium text-brand-600 hover:text-brand-700"
              onClick={() => setEditing(true)}
              aria-label={`Rename ${property.name}`}
            >
              Rename
            </button>
          </div>
        )}
      </td>
      <td className="px-6 py-3">
        <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700" title="Keys never change once created">
          {property.key}
        </code>
      </td>
      <td className="px-6 py-3">
        <PropertyTypeBadge type={property.type} />
      </td>
      <td className="px-6 py-3 text-slate-600">{property.intercomSource ? `Intercom · ${property.intercomSource}` : <span className="text-slate-400">Not mapped</span>}</td>
    </tr>
  );
}

function CreatePropertyCard() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [type, setType] = useState<PropertyType>("text");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string | undefined>>({});
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    startTransition(async () => {
      const result = await createPropertyAction({ name, key, type });
      if (!result.ok) {
        const fields = result.fieldErrors ?? {};
        setFieldErrors(fields);
        // An error that belongs to a field is shown under it, once; the banner is for the rest.
        setMessage(Object.values(fields).includes(result.error) ? null : { tone: "error", text: result.error });
        return;
      }
      setFieldErrors({});
      setName("");
      setKey("");
      setMessage({ tone: "success", text: `Created "${result.property.name}" (${result.property.key}).` });
      router.refresh();
    });
  }

  return (
    <Card className="h-fit">
      <CardHeader title="New property" description="The key is permanent; the name can change later." />
      <CardBody>
        <form onSubmit={submit} className="space-y-4" noValidate>
          {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
          <Field label="Name" error={fieldErrors.name}>
            <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Plan name" required />
          </Field>
          <Field
            label="Key"
            error={fieldErrors.key}
            hint={key ? "Lowercase letters, digits and underscores." : `Leave blank to use ${name ? `"${slugifyPropertyKey(name)}"` : "one made from the name"}.`}
          >
            <Input value={key} onChange={(e) => setKey(e.target.value)} placeholder={name ? slugifyPropertyKey(name) : "plan_name"} className="font-mono" />
          </Field>
          <Field label="Type" error={fieldErrors.type}>
            <Select value={type} onChange={(e) => setType(e.target.value as PropertyType)}>
              {propertyTypes.map((t) => (
                <option key={t} value={t}>
                  {propertyTypeLabels[t]}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? "Creating…" : "Create property"}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
