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
  schemas: CatalogSchema[];
  /** 'gateway' when live from Trino via query-gateway, 'descriptors' when from the dataset descriptors */
  source: 'gateway' | 'descriptors';
  /** why the live catalog could not be used, if it could not */
  gatewayProblem?: unknown;
}

let cached: Promise<Catalog> | null = null;

/** The live catalog from query-gateway, or the dataset descriptors served by web-ui when the gateway is down. */
export function loadCatalog(refresh = false): Promise<Catalog> {
  if (refresh || !cached) {
    cached = fetchCatalog();
    cached.catch(() => (cached = null));
  }
  return cached;
}

async function fetchCatalog(): Promise<Catalog> {
  let problem: unknown;
  try {
    const live = await api<Omit<Catalog, 'source'>>('/api/v1/catalog');
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
