import { type Schema, Validator } from '@cfworker/json-schema';
import ads from '../../workers/amazon-sandbox/models/ads-api/postman-extract-sp-v3-reporting-v3.json';
import catalog from '../../workers/amazon-sandbox/models/sp-api/catalogItems_2022-04-01.json';
import fbaInventory from '../../workers/amazon-sandbox/models/sp-api/fbaInventory.json';
import finances2024 from '../../workers/amazon-sandbox/models/sp-api/finances_2024-06-19.json';
import financesV0 from '../../workers/amazon-sandbox/models/sp-api/financesV0.json';
import listings from '../../workers/amazon-sandbox/models/sp-api/listingsItems_2021-08-01.json';
import anyOfferChanged from '../../workers/amazon-sandbox/models/sp-api/notifications/AnyOfferChangedNotification.json';
import fbaInventoryChange from '../../workers/amazon-sandbox/models/sp-api/notifications/FBAInventoryAvailabilityChangeNotification.json';
import orderChange from '../../workers/amazon-sandbox/models/sp-api/notifications/OrderChangeNotification.json';
import reportFinished from '../../workers/amazon-sandbox/models/sp-api/notifications/ReportProcessingFinishedNotification.json';
import notifications from '../../workers/amazon-sandbox/models/sp-api/notifications.json';
import orders2026 from '../../workers/amazon-sandbox/models/sp-api/orders_2026-01-01.json';
import ordersV0 from '../../workers/amazon-sandbox/models/sp-api/ordersV0.json';
import pricing2022 from '../../workers/amazon-sandbox/models/sp-api/productPricing_2022-05-01.json';
import pricingV0 from '../../workers/amazon-sandbox/models/sp-api/productPricingV0.json';
import reports from '../../workers/amazon-sandbox/models/sp-api/reports_2021-06-30.json';
import sellers from '../../workers/amazon-sandbox/models/sp-api/sellers.json';

/** The official models, copied into workers/amazon-sandbox/models (source and commit in its README). */
export interface SwaggerModel {
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, unknown>;
}
export interface SwaggerOperation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  responses: Record<
    string,
    { schema?: Record<string, unknown>; 'x-amzn-api-sandbox'?: { static?: SandboxExample[] } }
  >;
}
export interface SandboxExample {
  request: { parameters: Record<string, { value: unknown }> };
  response: unknown;
}

export const MODELS = {
  sellers,
  ordersV0,
  orders2026,
  reports,
  fbaInventory,
  financesV0,
  finances2024,
  pricingV0,
  pricing2022,
  catalog,
  notifications,
  listings,
} as unknown as Record<string, SwaggerModel>;

export const NOTIFICATION_SCHEMAS: Record<string, unknown> = {
  ORDER_CHANGE: orderChange,
  ANY_OFFER_CHANGED: anyOfferChanged,
  FBA_INVENTORY_AVAILABILITY_CHANGES: fbaInventoryChange,
  REPORT_PROCESSING_FINISHED: reportFinished,
};

export const ADS_EXTRACT = ads as unknown as {
  requests: {
    folder: string;
    name: string;
    request: { method: string; url: string; body?: unknown };
    examples: { name: string; status: number; responseBody: unknown }[];
  }[];
};

export function operation(modelName: string, path: string, method: string): SwaggerOperation {
  const op = MODELS[modelName]?.paths[path]?.[method];
  if (!op) throw new Error(`No operation ${method} ${path} in ${modelName}`);
  return op;
}

/** Validates a body against the model's schema for that operation and status code. */
export function validateResponse(
  modelName: string,
  path: string,
  method: string,
  status: number,
  body: unknown,
): string[] {
  const model = MODELS[modelName]!;
  const schema = operation(modelName, path, method).responses[String(status)]?.schema;
  if (!schema) return [`model declares no schema for ${method.toUpperCase()} ${path} -> ${status}`];
  const validator = new Validator({ ...schema, definitions: model.definitions } as Schema, '4', false);
  const result = validator.validate(body);
  return result.valid ? [] : result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

export function validateNotification(type: string, body: unknown): string[] {
  const schema = NOTIFICATION_SCHEMAS[type];
  if (!schema) return [`no schema for ${type}`];
  const result = new Validator(schema as Schema, '7', false).validate(body);
  return result.valid ? [] : result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

/** A shape fingerprint: keys and value types, arrays reduced to their first element. */
export function shape(value: unknown, depth = 2): unknown {
  if (Array.isArray(value)) return value.length > 0 && depth > 0 ? [shape(value[0], depth - 1)] : [];
  if (value && typeof value === 'object') {
    if (depth === 0) return 'object';
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k], depth - 1)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** Top-level required properties of an operation's response schema (following one $ref). */
export function requiredTopLevel(modelName: string, path: string, method: string, status: number): string[] {
  const model = MODELS[modelName]!;
  let schema = operation(modelName, path, method).responses[String(status)]?.schema as
    | { $ref?: string; required?: string[] }
    | undefined;
  if (schema?.$ref)
    schema = model.definitions[schema.$ref.split('/').pop()!] as { required?: string[] } | undefined;
  return schema?.required ?? [];
}

/**
 * "Same shape" as an Amazon example: every key both have holds the same JSON type, and every key
 * the example has but ours lacks is optional in the schema (data-dependent, like nextToken).
 */
export function shapeDifferences(
  modelName: string,
  path: string,
  method: string,
  status: number,
  ours: unknown,
  example: unknown,
): string[] {
  const a = shape(ours, 1) as Record<string, unknown>;
  const b = shape(example, 1) as Record<string, unknown>;
  const required = new Set(requiredTopLevel(modelName, path, method, status));
  const out: string[] = [];
  for (const [key, type] of Object.entries(b)) {
    if (!(key in a)) {
      if (required.has(key)) out.push(`missing required ${key}`);
    } else if (
      JSON.stringify(a[key]) !== JSON.stringify(type) &&
      !(Array.isArray(type) && Array.isArray(a[key]))
    ) {
      out.push(`${key}: ${JSON.stringify(a[key])} vs example ${JSON.stringify(type)}`);
    }
  }
  return out;
}
