export function formatPrice(cents: number, currency = 'USD'): string {
  const usrCnt = Math.abs(cents) / 100;
  const sign = cents < 0 ? '-' : '';
  // TODO: locale
  return sign + currency + ' ' + usrCnt.toFixed(2);
}
