// Read-only snapshots carried in a link: the workspace document, deflated
// (CompressionStream 'deflate-raw') and base64url-encoded into the URL fragment, which the
// browser never sends to a server. Opening such a link shows the snapshot in memory only:
// nothing is read from or written to this browser's workspaces until "Save a copy".
'use strict';

window.PipeboardSnapshot = (() => {
  const PREFIX = '#snapshot=';
  // Links longer than this do not survive every browser, mail client or chat app.
  const MAX_LINK_CHARS = 2 * 1024 * 1024;

  async function pipe(bytes, stream) {
    const piped = new Blob([bytes]).stream().pipeThrough(stream);
    return new Uint8Array(await new Response(piped).arrayBuffer());
  }

  function toBase64Url(bytes) {
    let binary = '';
    const CHUNK = 0x8000;
    for (let i = 0; i < bytes.length; i += CHUNK) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64Url(text) {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // {ok: true, link, chars} or {ok: false, chars, limit} when the link would be too long.
  async function makeLink(text) {
    const packed = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
    const link = `${location.origin}${location.pathname}${PREFIX}${toBase64Url(packed)}`;
    if (link.length > MAX_LINK_CHARS) return { ok: false, chars: link.length, limit: MAX_LINK_CHARS };
    return { ok: true, link, chars: link.length };
  }

  function inLocation() {
    return location.hash.startsWith(PREFIX);
  }

  // The document the page's link carries; throws when the link is damaged.
  async function read() {
    const bytes = fromBase64Url(location.hash.slice(PREFIX.length));
    const plain = await pipe(bytes, new DecompressionStream('deflate-raw'));
    return new TextDecoder().decode(plain);
  }

  // Leaves the snapshot: the page opens on this browser's own workspaces again.
  function leave() {
    if (!inLocation()) return;
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  }

  return Object.freeze({ makeLink, inLocation, read, leave, MAX_LINK_CHARS });
})();
