"use client";
// The pair list's filter form. Filters live in the URL (shareable, back button works); submitting replaces them
// and goes back to page 1.
import { usePathname, useRouter } from "next/navigation";
import type { FormEvent } from "react";

type Filters = Record<string, string | undefined>;

const STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"];

export function PairFilters({ filters, facets }: { filters: Filters; facets: { cwes: string[]; packages: string[]; sources: string[] } }) {
  const router = useRouter();
  const pathname = usePathname();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const [key, value] of form.entries()) if (typeof value === "string" && value.trim()) params.set(key, value.trim());
    if (filters.sort) params.set("sort", filters.sort);
    if (filters.dir) params.set("dir", filters.dir);
    router.push(`${pathname}?${params.toString()}`);
  }
  return (
    <form className="filters" onSubmit={submit} data-testid="pair-filters" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end", marginBottom: "1rem" }}>
      <label>
        Search
        <input name="q" type="search" defaultValue={filters.q ?? ""} placeholder="instruction or code" />
      </label>
      <label>
        CWE
        <input name="cwe" list="facet-cwes" defaultValue={filters.cwe ?? ""} size={10} />
        <datalist id="facet-cwes">{facets.cwes.map((value) => <option key={value} value={value} />)}</datalist>
      </label>
      <label>
        Package
        <input name="package" list="facet-packages" defaultValue={filters.package ?? ""} size={12} />
        <datalist id="facet-packages">{facets.packages.map((value) => <option key={value} value={value} />)}</datalist>
      </label>
      <label>
        Source
        <select name="source" defaultValue={filters.source ?? ""}>
          <option value="">any</option>
          {facets.sources.map((value) => <option key={value} value={value}>{value}</option>)}
        </select>
      </label>
      <label>
        Status
        <select name="status" defaultValue={filters.status ?? ""}>
          <option value="">any</option>
          {STATUSES.map((value) => <option key={value} value={value}>{value.toLowerCase().replace("_", " ")}</option>)}
        </select>
      </label>
      <label>
        Secure code
        <select name="flagged" defaultValue={filters.flagged ?? ""}>
          <option value="">any</option>
          <option value="yes">still flagged</option>
          <option value="no">clean</option>
        </select>
      </label>
      <label>
        Parse errors
        <select name="parseErrors" defaultValue={filters.parseErrors ?? ""}>
          <option value="">any</option>
          <option value="yes">with parse errors</option>
          <option value="no">parses</option>
        </select>
      </label>
      <button type="submit">Filter</button>
      <a href={pathname}>Clear</a>
    </form>
  );
}
