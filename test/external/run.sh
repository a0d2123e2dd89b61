#!/usr/bin/env bash
# Stress mode on an npm package that ships its TypeScript sources and its tests (issue 8).
#
#   test/external/run.sh ts-dedent|itertools-ts        (after `npm run build`)
#
# Packs the package from the npm registry (not a dependency of green-ts) into test/.out/external/,
# compiles its sources and tests together with green-tsc twice, without and with --stress, and runs
# the tests both times. The tests' Jest imports resolve to test/external/jest-shim.ts, whose `it`
# takes a `@green` callback: each test body is a green root, so under --stress everything it reaches
# that can be a body is colored and pauses before every call. Prints each run's "N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pkg="${1:?usage: run.sh ts-dedent|itertools-ts}"
case "$pkg" in
  ts-dedent)    version=2.3.0; tests='src/__tests__/*.spec.ts'; paths='"ts-dedent": ["src/index.ts"]'; alias='ts-dedent:src/index.js' ;;
  itertools-ts) version=2.5.0; tests='tests/examples/*.test.ts tests/tools/*.test.ts'; support='tests/fixture.ts'; paths=''; alias='' ;;
  *) echo "run.sh: no recipe for $pkg" >&2; exit 2 ;;
esac
dir="$root/test/.out/external/$pkg"
rm -rf "$dir" && mkdir -p "$dir"
(cd "$dir" && npm pack --silent "$pkg@$version" >/dev/null && tar xzf "$pkg-$version.tgz" --strip-components=1)
cp "$here/jest-shim.ts" "$dir/jest-shim.ts"
cd "$dir"
# only the TypeScript sources run: the shipped builds go, and so does the package.json, whose name
# and exports would make `require("<the package>")` resolve (by self-reference) to them
rm -rf dist esm es lib && mv package.json package.orig.json
# tests that use Jest's globals get the import the shim needs (the only edit made to the package's files)
for f in $tests ${support:-}; do grep -q "@jest/globals" "$f" || sed -i "1i import { describe, it, test, expect } from '@jest/globals';" "$f"; done
cat > tsconfig.json <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "module": "commonjs", "moduleResolution": "node10", "strict": true, "esModuleInterop": true,
    "skipLibCheck": true, "rootDir": ".", "outDir": "out", "types": ["node"], "typeRoots": ["$root/node_modules/@types"],
    "baseUrl": ".", "paths": { "@jest/globals": ["jest-shim.ts"], "green-ts": ["$root/dist/runtime/index.d.ts"]${paths:+, $paths} }
  },
  "include": ["src/**/*.ts", "jest-shim.ts", $(printf '"%s", ' $tests | sed 's/, $//')]
}
JSON
status=0
for mode in plain stress; do
  rm -rf out
  flag=(); [ "$mode" = stress ] && flag=(--stress)
  start=$(date +%s.%N)
  # exit 2 with type errors only (TS2xxx/TS7xxx: the stand-in's typing is looser than Jest's) still emits;
  # a green-ts diagnostic (TS94xxx) is printed
  node "$root/bin/green-tsc.js" -p tsconfig.json --pretty false "${flag[@]}" > "compile-$mode.log" 2>&1 || echo "$pkg $mode: green-tsc exit $?, $(grep -c 'error TS' "compile-$mode.log") errors ($(grep -c 'error TS94' "compile-$mode.log") from green-ts) in compile-$mode.log"
  grep 'error TS94' "compile-$mode.log" || true
  # the emitted requires of green-ts, '@jest/globals' (and the package's own name) resolve to this checkout and the emitted files
  mkdir -p out/node_modules/@jest/globals && ln -s "$root" out/node_modules/green-ts && echo "module.exports = require('../../../jest-shim.js');" > out/node_modules/@jest/globals/index.js
  if [ -n "$alias" ]; then mkdir -p "out/node_modules/${alias%%:*}" && echo "module.exports = require('../../${alias#*:}');" > "out/node_modules/${alias%%:*}/index.js"; fi
  passed=0; failed=0
  for t in $tests; do
    js="out/${t%.ts}.js"
    out=$(node "$js" 2>&1) || true
    echo "$out" > "run-$mode-$(basename "$t").log"
    line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1 || true)
    if [ -z "$line" ]; then echo "$pkg $mode $t: no summary line"; echo "$out" | head -30; failed=$((failed + 1)); continue; fi
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed}
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" = 0 ] || echo "$out" | grep -A3 '^FAIL' | head -40 || true
  done
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  pauses=$(cat $(find out -name '*.js' -not -path '*/node_modules/*') | { grep -o '__g.pause()' || true; } | wc -l)
  bodies=$(cat $(find out -name '*.js' -not -path '*/node_modules/*') | { grep -oE '__g\.(link|fn)\(|^\s*\*[#A-Za-z_$]' || true; } | wc -l)
  echo "$pkg@$version $mode: $passed passed, $failed failed ($bodies bodies, $pauses pauses emitted; ${secs%.*}s compile+run)"
  [ "$failed" = 0 ] || status=1
done
exit $status
