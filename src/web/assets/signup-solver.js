// Solves the sign-up form's proof-of-work challenge (ALTCHA v2, SHA-256) in the browser, with no third party and
// no cookie: finds the counter whose key SHA-256(salt ‖ nonce ‖ counter as 4 bytes big-endian) starts with the
// challenge's keyPrefix, and puts { challenge, solution } (base64 JSON) in the form's hidden `altcha` field.
// Served from our own origin (CSP script-src 'self'). Without JavaScript the field stays empty and the server
// applies the stricter limits of the no-JavaScript path; so does any failure here.
(() => {
  const form = document.querySelector('form[data-challenge]');
  const field = form && form.querySelector('input[name="altcha"]');
  if (!field || !window.crypto || !crypto.subtle) return;
  const challenge = JSON.parse(form.dataset.challenge);
  const p = challenge.parameters;
  const bytes = (hex) => new Uint8Array(hex.match(/../g).map((h) => parseInt(h, 16)));
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
  const salt = bytes(p.salt);
  const nonce = bytes(p.nonce);

  async function key(counter) {
    const data = new Uint8Array(salt.length + nonce.length + 4);
    data.set(salt, 0);
    data.set(nonce, salt.length);
    new DataView(data.buffer).setUint32(salt.length + nonce.length, counter, false);
    let k = await crypto.subtle.digest('SHA-256', data);
    for (let i = 1; i < p.cost; i++) k = await crypto.subtle.digest('SHA-256', k);
    return hex(k).slice(0, (p.keyLength || 32) * 2);
  }

  async function solve() {
    const batch = 500; // hashes in flight at once
    for (let start = 0; start < 0xffffffff; start += batch) {
      const keys = await Promise.all(Array.from({ length: batch }, (_, i) => key(start + i)));
      const i = keys.findIndex((k) => k.startsWith(p.keyPrefix));
      if (i >= 0) return { counter: start + i, derivedKey: keys[i] };
    }
    throw new Error('no solution');
  }

  let solved = false;
  const work = solve().then((solution) => {
    field.value = btoa(JSON.stringify({ challenge, solution }));
    solved = true;
  });
  // A person who submits before the work is done waits for it (a moment), then the form is sent as usual.
  form.addEventListener('submit', (event) => {
    if (solved) return;
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    work.catch(() => {}).finally(() => form.submit());
  });
})();
