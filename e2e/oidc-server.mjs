// A real OpenID Connect provider (the certified `oidc-provider` package) for the `sso` e2e
// project, in a process of its own: the package is ESM-only. Development login screens: any
// password; the login names one of the accounts in OIDC_ACCOUNTS. Consent is granted at once.
// Every authorization request is printed as a JSON line ({"authorization": {...}}), so the
// spec can check that Signpost sent PKCE (S256) and a state.
//
// Env: OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS (comma-separated),
//      OIDC_ACCOUNTS (JSON: { login: { email, email_verified, name } }).
// Prints {"ready": "<issuer>"} once it listens on 127.0.0.1.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('OIDC_PORT must be a port number');
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: (process.env.OIDC_REDIRECT_URIS ?? '').split(',').filter(Boolean),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['signpost-e2e-only'] },
  async findAccount(_ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
  // No consent screen: the test client is granted openid, email and profile at once.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && ctx.method === 'GET') {
    const q = ctx.query;
    console.log(JSON.stringify({ authorization: { client_id: q.client_id, redirect_uri: q.redirect_uri, scope: q.scope, code_challenge_method: q.code_challenge_method, code_challenge: Boolean(q.code_challenge), state: Boolean(q.state) } }));
  }
  await next();
});

const server = provider.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ ready: issuer })));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
