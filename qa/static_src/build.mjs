// Builds the front-end assets into qa/static/ (served at /assets).
// GOV.UK Frontend is compiled from its Sass with an Arial font stack; only its
// JavaScript is copied. Its images (the crown, GOV.UK icons) are not used.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(root, "qa", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist");

mkdirSync(out, { recursive: true });
const css = sass.compile(join(here, "application.scss"), {
  loadPaths: [govuk],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "application.css"), css.css);
copyFileSync(join(govuk, "govuk", "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(here, "application.mjs"), join(out, "application.mjs"));
console.log(`assets built in ${out}`);
