/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server (server/main.ts) owns the process; these packages stay plain Node modules, never bundled,
  // so route handlers share the server's MongoDB driver instead of loading a second copy.
  serverExternalPackages: ['mongodb', 'agenda', '@agendajs/mongo-backend', 'pino', 'pino-pretty'],
  poweredByHeader: false,
  // The build checks the app's types; tests and tools are checked by `npm run typecheck`.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  reactStrictMode: true,
  // A display link (`/wall?token=…`) is traded for the wall's cookie by a route handler, which then strips the token.
  async rewrites() {
    return { beforeFiles: [{ source: '/wall', has: [{ type: 'query', key: 'token' }], destination: '/wall/open' }], afterFiles: [], fallback: [] };
  },
};

export default nextConfig;
