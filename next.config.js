/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server (server/main.ts) owns the process; these packages stay plain Node modules, never bundled,
  // so route handlers share the server's MongoDB driver instead of loading a second copy.
  serverExternalPackages: ['mongodb', 'agenda', '@agendajs/mongo-backend', 'pino', 'pino-pretty'],
  poweredByHeader: false,
  // The build checks the app's types; tests and tools are checked by `npm run typecheck`.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  reactStrictMode: true,
};

export default nextConfig;
