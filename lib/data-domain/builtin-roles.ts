/** Azure built-in role definition IDs (fixed GUIDs, the same in every tenant) that PIM assignments may use. */
export const BUILTIN_ROLE_IDS = {
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
} as const;
export type BuiltinRole = keyof typeof BUILTIN_ROLE_IDS;
