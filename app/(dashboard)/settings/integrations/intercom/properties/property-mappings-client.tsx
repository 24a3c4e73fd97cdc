"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useMutation, useQuery, type UseQueryResult } from "@tanstack/react-query";
import { ConnectIntercomLink } from "@/components/integrations/connect-link";
import { PropertyTypeBadge } from "@/components/properties/property-type-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/field";
import { EmptyState, Notice } from "@/components/ui/notice";
import type { AttributesResult, ContactAttribute, PropertyMapping, PropertyMappingRow } from "@/lib/mappings/property-mappings";
import { propertyTypeLabels, type PropertyType } from "@/lib/properties/types";
import { checkPropertyMappingsAction, loadIntercomAttributesAction, savePropertyMappingsAction } from "./actions";

interface PropertyOption {
  id: string;
  name: string;
  key: string;
  type: PropertyType;
}

const NEW_PROPERTY = "__new__";

interface EditorRow {
  uid: string;
  intercomAttribute: string;
  /** "" (nothing chosen), a property id, or NEW_PROPERTY. */
  choice: string;
  newName: string;
}

let nextUid = 0;
const uid = () => `row-${++nextUid}`;

function rowsFrom(mappings: PropertyMapping[]): EditorRow[] {
  return mappings.map((m) => ({ uid: uid(), intercomAttribute: m.intercomAttribute, choice: m.property.id, newName: "" }));
}

function snapshot(rows: EditorRow[]) {
  return JSON.stringify(rows.map((r) => [r.intercomAttribute, r.choice, r.choice === NEW_PROPERTY ? r.newName.trim() : ""]));
}

export function PropertyMappingsClient({
  workspaceName,
  properties,
  mappings,
}: {
  workspaceName: string;
  properties: PropertyOption[];
  mappings: PropertyMapping[];
}) {
  const router = useRouter();
  const [rows, setRows] = useState<EditorRow[]>(() => rowsFrom(mappings));
  const [saved, setSaved] = useState(() => snapshot(rowsFrom(mappings)));
  const [createdProperties, setCreatedProperties] = useState<PropertyOption[]>([]);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  const attributesQuery = useQuery({
    queryKey: ["intercom-contact-attributes"],
    queryFn: () => loadIntercomAttributesAction(),
    staleTime: 60_000,
  });
  const live = attributesQuery.data?.ok ? attributesQuery.data.attributes : null;
  const attributeByName = useMemo(() => new Map((live ?? []).map((a) => [a.fullName, a])), [live]);
  const savedLabels = useMemo(() => new Map(mappings.map((m) => [m.intercomAttribute, m.intercomLabel])), [mappings]);
  const savedByAttribute = useMemo(() => new Map(mappings.map((m) => [m.intercomAttribute, m])), [mappings]);
  const broken = mappings.filter((m) => m.status === "broken");

  const allProperties = useMemo(() => {
    const byId = new Map(properties.map((p) => [p.id, p]));
    for (const p of createdProperties) if (!byId.has(p.id)) byId.set(p.id, p);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [properties, createdProperties]);

  const save = useMutation({
    mutationFn: (payload: PropertyMappingRow[]) => savePropertyMappingsAction(payload),
    onSuccess: (result) => {
      if (!result.ok) {
        setRowErrors(Object.fromEntries(Object.entries(result.rowErrors).map(([i, msg]) => [rows[Number(i)]?.uid ?? i, msg])));
        setBanner({ tone: "error", text: result.error });
        return;
      }
      const fresh = rowsFrom(result.mappings);
      setCreatedProperties(result.mappings.map((m) => m.property));
      setRows(fresh);
      setSaved(snapshot(fresh));
      setRowErrors({});
      setBanner({
        tone: "success",
        text:
          result.mappings.length > 0
            ? "Mappings saved. Holdfast is collecting the newly mapped values from Intercom for every matched subscriber; they appear on subscribers within a few minutes."
            : "Mappings saved. No Intercom attributes are mapped now.",
      });
      router.refresh();
    },
    onError: () => setBanner({ tone: "error", text: "Could not reach Holdfast to save. Check your connection and try again." }),
  });

  const check = useMutation({
    mutationFn: () => checkPropertyMappingsAction(),
    onSuccess: (result) => {
      setBanner(result.ok ? { tone: "success", text: result.message } : { tone: "error", text: result.error });
      router.refresh();
    },
    onError: () => setBanner({ tone: "error", text: "Could not reach Holdfast. Check your connection and try again." }),
  });

  const dirty = snapshot(rows) !== saved;
  const update = (id: string, patch: Partial<EditorRow>) => {
    setRows((current) => current.map((r) => (r.uid === id ? { ...r, ...patch } : r)));
    setRowErrors(({ [id]: _dropped, ...rest }) => rest);
    setBanner(null);
  };

  function submit() {
    setBanner(null);
    const local: Record<string, string> = {};
    for (const r of rows) {
      if (!r.intercomAttribute) local[r.uid] = "Choose an Intercom attribute, or remove this row.";
      else if (!r.choice) local[r.uid] = "Choose a property, or create a new one.";
    }
    if (Object.keys(local).length > 0) {
      setRowErrors(local);
      setBanner({ tone: "error", text: "Some rows are incomplete; nothing was saved." });
      return;
    }
    save.mutate(
      rows.map((r) =>
        r.choice === NEW_PROPERTY
          ? // A name left empty means the attribute's label, which the field shows as its placeholder.
            { intercomAttribute: r.intercomAttribute, newProperty: { name: r.newName.trim() || (attributeByName.get(r.intercomAttribute)?.label ?? "") } }
          : { intercomAttribute: r.intercomAttribute, propertyId: r.choice },
      ),
    );
  }

  return (
    <Card>
      <CardHeader
        title="Property mappings"
        description={
          <>
            Intercom contact attributes from <strong>{workspaceName}</strong> fill these{" "}
            <Link className="font-medium text-brand-600 hover:text-brand-700" href="/settings/properties">
              subscriber properties
            </Link>
            . Values sync every 5 minutes; each attribute can only fill a property of the same type.
          </>
        }
      />
      <CardBody className="space-y-5">
        {broken.length ? (
          <Notice tone="error" title={`${broken.length} property mapping${broken.length === 1 ? " is" : "s are"} broken`}>
            <p>
              Intercom changed the attribute{broken.length === 1 ? "" : "s"} marked below, so the sync skips {broken.length === 1 ? "it" : "them"}: the
              properties keep their last synced values but stop updating. Fix each one by picking another attribute of the same type and saving, or by
              restoring the attribute in Intercom and checking again.
            </p>
            <Button variant="secondary" className="mt-3" onClick={() => check.mutate()} disabled={check.isPending}>
              {check.isPending ? "Checking with Intercom…" : "Check again"}
            </Button>
          </Notice>
        ) : null}
        {banner ? <Notice tone={banner.tone}>{banner.text}</Notice> : null}
        <AttributesStatus query={attributesQuery} />

        {rows.length === 0 ? (
          <EmptyState
            title="No attributes mapped yet"
            action={
              <Button
                variant="secondary"
                onClick={() => setRows([{ uid: uid(), intercomAttribute: "", choice: "", newName: "" }])}
                disabled={!live}
              >
                + Add mapping
              </Button>
            }
          >
            Map an Intercom attribute such as Plan or Seats to a property to see it on every matched subscriber.
          </EmptyState>
        ) : (
          <div className="space-y-3">
            <div className="hidden grid-cols-[minmax(0,1fr)_1.5rem_minmax(0,1fr)_2.5rem] gap-3 px-1 text-xs font-medium uppercase tracking-wide text-slate-500 md:grid">
              <span>Intercom attribute</span>
              <span />
              <span>Holdfast property</span>
              <span />
            </div>
            {rows.map((row, index) => (
              <MappingRow
                key={row.uid}
                index={index}
                row={row}
                live={live}
                loading={attributesQuery.isPending}
                attribute={attributeByName.get(row.intercomAttribute)}
                savedLabel={savedLabels.get(row.intercomAttribute)}
                saved={savedByAttribute.get(row.intercomAttribute)}
                usedAttributes={new Set(rows.filter((r) => r.uid !== row.uid).map((r) => r.intercomAttribute))}
                usedProperties={new Set(rows.filter((r) => r.uid !== row.uid).map((r) => r.choice))}
                properties={allProperties}
                error={rowErrors[row.uid]}
                onChange={(patch) => update(row.uid, patch)}
                onRemove={() => {
                  setRows((current) => current.filter((r) => r.uid !== row.uid));
                  setBanner(null);
                }}
              />
            ))}
          </div>
        )}

        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-5">
          {/* With no rows, the empty state above holds the only "Add mapping" button. */}
          {rows.length > 0 ? (
            <Button
              variant="secondary"
              onClick={() => setRows((current) => [...current, { uid: uid(), intercomAttribute: "", choice: "", newName: "" }])}
              disabled={!live}
            >
              + Add mapping
            </Button>
          ) : (
            <span />
          )}
          <div className="flex items-center gap-3">
            <span className="text-sm text-slate-500" aria-live="polite">
              {save.isPending ? "Saving…" : dirty ? "Unsaved changes" : "All changes saved"}
            </span>
            <Button onClick={submit} disabled={save.isPending || !dirty || !live}>
              {save.isPending ? "Saving…" : "Save changes"}
            </Button>
          </div>
        </div>
      </CardBody>
    </Card>
  );
}

function AttributesStatus({ query }: { query: UseQueryResult<AttributesResult> }) {
  if (query.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-500" role="status">
        <span className="h-3 w-3 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" aria-hidden />
        Loading attributes from Intercom…
      </p>
    );
  }
  if (query.isError) {
    return (
      <Notice tone="error" title="Could not load Intercom attributes">
        <p>Holdfast could not be reached. Your saved mappings are unchanged.</p>
        <Button className="mt-3" variant="secondary" onClick={() => query.refetch()}>
          Try again
        </Button>
      </Notice>
    );
  }
  const result = query.data;
  if (!result || result.ok) return null;
  return (
    <Notice tone={result.reason === "reconnect_required" ? "warning" : "error"} title="Could not load Intercom attributes">
      <p>{result.error}</p>
      <div className="mt-3">
        {result.reason === "intercom_error" ? (
          <Button variant="secondary" onClick={() => query.refetch()} disabled={query.isFetching}>
            {query.isFetching ? "Retrying…" : "Try again"}
          </Button>
        ) : (
          <ConnectIntercomLink label={result.reason === "reconnect_required" ? "Reconnect Intercom" : "Connect Intercom"} />
        )}
      </div>
    </Notice>
  );
}

function MappingRow(props: {
  index: number;
  row: EditorRow;
  live: ContactAttribute[] | null;
  loading: boolean;
  attribute: ContactAttribute | undefined;
  savedLabel: string | undefined;
  /** The saved mapping of this row's attribute, with its health. */
  saved: PropertyMapping | undefined;
  usedAttributes: Set<string>;
  usedProperties: Set<string>;
  properties: PropertyOption[];
  error: string | undefined;
  onChange: (patch: Partial<EditorRow>) => void;
  onRemove: () => void;
}) {
  const { row, live, attribute, error } = props;
  const wanted = attribute?.compatibleTypes[0];
  const missing = Boolean(live && row.intercomAttribute && !attribute);
  const compatible = wanted ? props.properties.filter((p) => p.type === wanted) : [];
  const standard = (live ?? []).filter((a) => !a.custom);
  const custom = (live ?? []).filter((a) => a.custom);
  const optionLabel = (a: ContactAttribute) => `${a.label} (${a.dataType})`;
  const n = props.index + 1;
  const broken = props.saved?.status === "broken" && props.saved.property.id === row.choice ? props.saved : null;

  return (
    <div
      id={props.saved ? `mapping-${props.saved.id}` : undefined}
      className={`scroll-mt-24 rounded-lg border px-3 py-3 ${error || missing || broken ? "border-red-200 bg-red-50/40" : "border-slate-200"}`}
    >
      <div className="grid items-start gap-3 md:grid-cols-[minmax(0,1fr)_1.5rem_minmax(0,1fr)_2.5rem]">
        <Select
          aria-label={`Intercom attribute, row ${n}`}
          value={row.intercomAttribute}
          disabled={!live}
          onChange={(e) => {
            const next = props.live?.find((a) => a.fullName === e.target.value);
            const keep = props.properties.find((p) => p.id === row.choice)?.type === next?.compatibleTypes[0];
            props.onChange({
              intercomAttribute: e.target.value,
              choice: keep || row.choice === NEW_PROPERTY ? row.choice : "",
              // A name the admin did not type follows the attribute.
              newName: row.newName === attribute?.label ? (next?.label ?? "") : row.newName,
            });
          }}
        >
          <option value="">{props.loading ? "Loading attributes…" : "Choose an Intercom attribute"}</option>
          {missing ? <option value={row.intercomAttribute}>{props.savedLabel ?? row.intercomAttribute} (not in Intercom)</option> : null}
          {!live && row.intercomAttribute ? <option value={row.intercomAttribute}>{props.savedLabel ?? row.intercomAttribute}</option> : null}
          <optgroup label="Standard">
            {standard.map((a) => (
              <option key={a.fullName} value={a.fullName} disabled={props.usedAttributes.has(a.fullName)}>
                {optionLabel(a)}
              </option>
            ))}
          </optgroup>
          <optgroup label="Custom">
            {custom.map((a) => (
              <option key={a.fullName} value={a.fullName} disabled={props.usedAttributes.has(a.fullName)}>
                {optionLabel(a)}
              </option>
            ))}
          </optgroup>
        </Select>

        <span className="hidden pt-2 text-center text-slate-400 md:block" aria-hidden>
          →
        </span>

        <div className="space-y-2">
          <Select
            aria-label={`Holdfast property, row ${n}`}
            value={row.choice}
            disabled={!attribute}
            onChange={(e) =>
              props.onChange({
                choice: e.target.value,
                // Starts as the attribute's label, so the admin edits a real name rather than a hint.
                newName: e.target.value === NEW_PROPERTY && !row.newName ? (attribute?.label ?? "") : row.newName,
              })
            }
          >
            <option value="">{attribute ? "Choose a property" : "Choose an Intercom attribute first"}</option>
            {compatible.map((p) => (
              <option key={p.id} value={p.id} disabled={props.usedProperties.has(p.id)}>
                {p.name} ({p.key})
              </option>
            ))}
            {wanted ? <option value={NEW_PROPERTY}>+ Create a new property…</option> : null}
          </Select>
          {row.choice === NEW_PROPERTY && wanted ? (
            <div className="flex items-center gap-2">
              <Input
                aria-label={`New property name, row ${n}`}
                placeholder={attribute?.label ?? "Property name"}
                value={row.newName}
                onChange={(e) => props.onChange({ newName: e.target.value })}
                autoFocus
              />
              <span className="shrink-0" title="Fixed by the Intercom attribute's type">
                <PropertyTypeBadge type={wanted} />
              </span>
            </div>
          ) : null}
          {attribute && wanted && compatible.length === 0 && row.choice !== NEW_PROPERTY ? (
            <p className="text-xs text-slate-500">No {propertyTypeLabels[wanted].toLowerCase()} properties yet: create one from the list.</p>
          ) : null}
        </div>

        <Button variant="ghost" className="px-2" onClick={props.onRemove} aria-label={`Remove mapping, row ${n}`} title="Remove this mapping">
          ✕
        </Button>
      </div>
      {broken ? (
        <div className="mt-2 flex flex-wrap items-start gap-2 text-sm text-red-800">
          <Badge tone="red">Broken</Badge>
          <p className="min-w-0 flex-1">
            <code className="font-mono">{broken.intercomAttribute}</code>: {broken.statusReason ?? "no longer usable in Intercom"}. The sync skips this
            mapping, so &quot;{broken.property.name}&quot; keeps its last values. Fix: pick another attribute and save, or restore it in Intercom.
          </p>
        </div>
      ) : missing ? (
        <p className="mt-2 text-sm text-red-700">This attribute is no longer in Intercom (archived or deleted). Remove the row or pick another attribute.</p>
      ) : null}
      {error ? (
        <p className="mt-2 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
