// Reads [{path, text, parameters}] as JSON on stdin; lints each with lintCypherQuery against the graph
// model's labels, relationship types and property keys; prints [{path, diagnostics}] as JSON.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { model, files } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const out = files.map(({ path, text, parameters }) => {
  const schema = {
    labels: model.labels,
    relationshipTypes: model.relationshipTypes,
    propertyKeys: model.propertyKeys,
    parameters,
    defaultLanguage: 'CYPHER 5',
  };
  const { diagnostics } = lintCypherQuery(text, schema);
  return {
    path,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
