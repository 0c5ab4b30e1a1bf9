/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules stay outside the server bundle, and so does rate-limiter-flexible: its Drizzle
  // store imports drizzle-orm at run time by a computed name, which a bundle cannot resolve.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg', 'rate-limiter-flexible'],
  poweredByHeader: false,
  typedRoutes: false,
};

module.exports = nextConfig;
