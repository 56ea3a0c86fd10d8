// Kubernetes resource quantities (`500m`, `1Gi`, `0.5`, `1e3`), read as the API server reads them:
// https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/

const QUANTITY_PATTERN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

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
