// A sign-in as the pages receive it (README, "Authentication"): a JWT handed over in the URL
// fragment (#access_token=…&token_url=…), which never reaches a server, and a URL where a fresh
// one can be fetched before it expires. Shared by the chat page and the operations page.

/**
 * The fragment's sign-in, taken out of the address bar so that it is not bookmarked or shared:
 * {accessToken, tokenUrl}, each null when absent.
 */
export function takeFragmentSignIn() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const signIn = {
    accessToken: fragment.get('access_token'),
    tokenUrl: fragment.get('token_url'),
  };
  if (signIn.accessToken !== null) {
    history.replaceState(null, '', location.pathname + location.search);
  }
  return signIn;
}

/** A JWT's claims, read but not verified (the server verifies): null for anything else. */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(new TextDecoder().decode(
      Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

/** A fresh token from the sign-in's token URL: its body, or the access_token of a JSON body. */
export async function fetchToken(tokenUrl) {
  if (!tokenUrl) throw new Error('no token URL');
  const response = await fetch(tokenUrl, { credentials: 'include', cache: 'no-store' });
  if (!response.ok) throw new Error(`token URL answered ${response.status}`);
  const body = (await response.text()).trim();
  const token = body.startsWith('{') ? JSON.parse(body).access_token : body;
  if (!token) throw new Error('no token in the answer');
  return token;
}
