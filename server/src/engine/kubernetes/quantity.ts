// Kubernetes resource quantities (`500m`, `1Gi`, `0.5`, `1e3`, `100n`), read as the API server reads them
// (k8s.io/apimachinery resource.ParseQuantity):
// https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
// The one grammar: manifests, the `defaults` setting and its JSON schema pattern all use it.

/** `<digits>`, `<digits>.<digits>`, `<digits>.` or `.<digits>`. */
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
/** Binary SI, then decimal SI (`n` and `u` included, as the API server accepts them). */
const SUFFIX = 'Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E';
/** `e` or `E` and a signed integer (the API server takes no fraction there). */
const EXPONENT = String.raw`[eE]([+-]?\d+)`;

const QUANTITY_PATTERN = new RegExp(`^([+-]?${NUMBER})(?:(${SUFFIX})|${EXPONENT})?$`);

/**
 * A quantity that is not negative, as a JSON schema `pattern` (ECMA syntax, no flags): what a
 * setting holding a request or limit accepts (the API server rejects negative resources).
 */
export const NON_NEGATIVE_QUANTITY_PATTERN = `^\\+?${NUMBER}(?:${SUFFIX}|${EXPONENT})?$`;

const NON_NEGATIVE_QUANTITY = new RegExp(NON_NEGATIVE_QUANTITY_PATTERN);

const SUFFIX_FACTOR: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The quantity in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) return undefined;
  const [, number, suffix, exponent] = match;
  const factor = suffix !== undefined ? (SUFFIX_FACTOR[suffix] ?? 1) : exponent !== undefined ? 10 ** Number(exponent) : 1;
  return Number(number) * factor;
}

/** A quantity with no minus sign: a valid request or limit. */
export function isNonNegativeQuantity(text: string): boolean {
  return NON_NEGATIVE_QUANTITY.test(text);
}
