// wrk Lua scripts that put a different credential on each request, read from a file of lines:
// round robin over K cached tokens (steady state) or each fresh token once (cache misses; once
// the list is used up the last one repeats, and the gateway's miss counter shows how many missed).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

let serial = 0;

/** @param values header values, one per request slot; mode 'cycle' | 'once' */
export function rotatingScript(dir, { path: urlPath, header, values, mode }) {
  const id = serial++;
  const list = path.join(dir, `values-${id}.txt`);
  const script = path.join(dir, `rotate-${id}.lua`);
  writeFileSync(list, `${values.join('\n')}\n`);
  const step = mode === 'cycle' ? 'i = i % #values + 1' : 'if i < #values then i = i + 1 end';
  writeFileSync(
    script,
    `local values = {}
for line in io.lines(${JSON.stringify(list)}) do values[#values + 1] = line end
local i = 0
request = function()
  ${step}
  return wrk.format("GET", ${JSON.stringify(urlPath)}, { [${JSON.stringify(header)}] = values[i] })
end
`,
  );
  return script;
}
