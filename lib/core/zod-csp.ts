import { z } from "zod";

// Zod compiles object parsers with `new Function`, and probes whether it may the moment the first
// object schema is made. The production CSP has no 'unsafe-eval', so in the browser that probe is
// blocked and reported as a securitypolicyviolation on every page that ships a schema, although
// zod catches it. Jitless in the browser: its schemas there are a few small error shapes. The server
// keeps the compiled parsers. Imported before any schema a client component can load.
if (typeof window !== "undefined") z.config({ jitless: true });
