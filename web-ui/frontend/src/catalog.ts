import { api, ApiError } from './api';

export interface CatalogColumn {
  name: string;
  type: string;
  partitionKey?: boolean;
  description?: string;
}

export interface CatalogTable {
  name: string;
  rowCount?: number | null;
  description?: string;
  columns: CatalogColumn[];
}

export interface CatalogSchema {
  name: string;
  tables: CatalogTable[];
}

export interface Catalog {
  catalog: string;
  /** the version listed ('' or absent = the latest data): its tables, with their row counts at it */
  ref?: string | null;
  schemas: CatalogSchema[];
  /** 'gateway' when live from Trino via query-gateway, 'descriptors' when from the dataset descriptors */
  source: 'gateway' | 'descriptors';
  /** why the live catalog could not be used, if it could not */
  gatewayProblem?: unknown;
}

const cached = new Map<string, Promise<Catalog>>();

/**
 * The live catalog at a ref from query-gateway: only the tables that ref reads (a branch's tables only at that
 * branch or a ref pinning them), lake datasets first, row counts at the ref; '' = the latest data. The dataset
 * descriptors served by web-ui when the gateway is down.
 */
export function loadCatalog(refresh = false, ref = ''): Promise<Catalog> {
  const key = ref.trim();
  if (refresh) cached.clear();
  let entry = cached.get(key);
  if (!entry) {
    entry = fetchCatalog(key);
    cached.set(key, entry);
    entry.catch(() => cached.delete(key));
  }
  return entry;
}

async function fetchCatalog(ref: string): Promise<Catalog> {
  let problem: unknown;
  try {
    const live = await api<Omit<Catalog, 'source'>>('/api/v1/catalog', { query: { ref } });
    if (live && Array.isArray(live.schemas) && live.schemas.some((s) => s.tables?.length)) {
      return { ...live, source: 'gateway' };
    }
    problem = new ApiError(200, 'Empty catalog', 'query-gateway has no tables registered yet');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw e;
    problem = e;
  }
  const fallback = await api<Omit<Catalog, 'source'>>('/api/datasets');
  return { ...fallback, source: 'descriptors', gatewayProblem: problem };
}

export function allTables(catalog: Catalog): { schema: string; table: CatalogTable }[] {
  return catalog.schemas.flatMap((s) => s.tables.map((table) => ({ schema: s.name, table })));
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|decimal|numeric|float)/i;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

export function isTimestampType(type: string): boolean {
  return /^(timestamp|date)/i.test(type.trim());
}
