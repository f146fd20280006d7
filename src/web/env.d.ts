// Vite's module types for the web build (`?url` imports, import.meta.env); the Node build excludes src/web.
/// <reference types="vite/client" />
