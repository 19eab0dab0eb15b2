// Type declarations for the few dependencies that ship none.
declare module 'punycode/punycode.js' {
  const punycode: { toASCII(domain: string): string; toUnicode(domain: string): string };
  export default punycode;
}
declare module 'role-based-email-addresses' {
  const roles: string[];
  export default roles;
}
