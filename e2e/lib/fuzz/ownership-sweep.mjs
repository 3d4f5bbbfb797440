// After the fuzz, every object the fuzz knows is asked for by the user who does not own it,
// through every read operation of the OpenAPI documents that takes an id: none may answer 2xx.
// The lists are read too: each user's lists name only their own objects.
import { send } from './paced-client.mjs';
import { USERS } from './object-registry.mjs';
import { tokenFor } from './fuzz-session.mjs';

const MAX_IDS = 25;

export async function ownershipProblems(s) {
  const problems = [];
  const reads = Object.values(s.operations)
    .flat()
    .filter((op) => op.method === 'GET');
  for (const user of ['alice', 'bob']) {
    const caller = { as: user };
    const foreign = [...s.registry.owners]
      .filter(([, owner]) => owner !== user)
      .map(([id]) => id)
      .slice(-MAX_IDS);
    for (const op of reads) {
      const idParams = op.pathParams.filter((p) => p.schema.format === 'uuid' || p.name === 'id');
      if (op.pathParams.length === 0) {
        const answer = await send(op, { caller, params: {} }, { token: tokenFor(s, caller), resolve: (v) => v });
        if (answer.status !== 200) problems.push(`${user} ${op.key} answered ${answer.status}`);
        else {
          let list;
          try {
            list = JSON.parse(answer.text);
          } catch {
            problems.push(
              `${user} ${op.key}: 200 with a body that is not JSON (${answer.text.length} bytes, content-length ${answer.headers.get('content-length')})`,
            );
            continue;
          }
          const leaks = s.registry.leaksIn(list, user);
          if (leaks.length) problems.push(`${user} ${op.key}: ${leaks.join('; ')}`);
        }
        continue;
      }
      if (idParams.length !== 1 || op.pathParams.length !== 1) continue;
      for (const id of foreign) {
        const answer = await send(
          op,
          { caller, params: { [idParams[0].name]: id } },
          { token: tokenFor(s, caller), resolve: (v) => v },
        );
        if (answer.status >= 200 && answer.status < 300)
          problems.push(`${user} read ${s.registry.owners.get(id)}'s object ${id} via ${op.key}: ${answer.status}`);
        // A refused token would make this sweep pass without asking anything.
        if (answer.status === 401) problems.push(`${user}'s token was refused (${op.key}): the sweep proved nothing`);
      }
    }
  }
  process.stdout.write(
    `[fuzz] ownership: asked for ${s.registry.owners.size} known objects as the user who does not own them (${USERS.alice.sub}, ${USERS.bob.sub})\n`,
  );
  return problems;
}
