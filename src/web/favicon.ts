/**
 * The site's icon, served from our own origin for the public and admin pages (no CDN): a small SVG, a check mark
 * on a green tile. Browsers that ask for `/favicon.ico` without reading the link are sent to it.
 */
export const FAVICON_PATH = '/favicon.svg';

export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5d46"/>' +
  '<path d="M8 16.5l5.5 5.5L24.5 10" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>\n';
