/**
 * Ugandan mobile-money numbers as people type them ("0772 123456", "772123456", "+256 772-123-456")
 * normalised to the MSISDN the networks use (2567XXXXXXXX), with the network told from the prefix.
 * No server-only imports: the checkout form runs this on every keystroke.
 */
export type MobileNetwork = 'mtn' | 'airtel';

/** The three digits after the country code: MTN 076/077/078, Airtel 070/074/075. */
const NETWORK_BY_PREFIX: Record<string, MobileNetwork> = {
  '76': 'mtn',
  '77': 'mtn',
  '78': 'mtn',
  '70': 'airtel',
  '74': 'airtel',
  '75': 'airtel',
};

export interface UgandanMobile {
  /** 2567XXXXXXXX */
  msisdn: string;
  /** +2567XXXXXXXX, as the API takes phone numbers. */
  e164: string;
  network: MobileNetwork | null;
}

/** The number as an MSISDN, or null when it is not a Ugandan mobile number (yet). */
export function parseUgandanMobile(input: string): UgandanMobile | null {
  const digits = input.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  let national: string | null = null;
  if (/^2567\d{8}$/.test(digits)) national = digits.slice(3);
  else if (/^07\d{8}$/.test(digits)) national = digits.slice(1);
  else if (/^7\d{8}$/.test(digits)) national = digits;
  if (!national) return null;
  return {
    msisdn: `256${national}`,
    e164: `+256${national}`,
    network: NETWORK_BY_PREFIX[national.slice(0, 2)] ?? null,
  };
}

/** "0772 123 456" from 256772123456: how Ugandans write a number. */
export function displayMsisdn(msisdn: string): string {
  const national = `0${msisdn.slice(3)}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}
