// The official TypeScript SDK's client against serve's /mcp (McpTypeScriptClientTest runs it):
// connect (initialize + initialized), list tools, call each tool; prints one JSON summary line.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, callId, account] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url));
const client = new Client({ name: 'gong-ts-check', version: '1' });
await client.connect(transport);
const out = { protocol: transport.protocolVersion, server: client.getServerVersion(), calls: {} };
out.tools = (await client.listTools()).tools.map(t => t.name);
for (const [name, args] of [['search_calls', { query: 'Zephyrix', mode: 'keyword', k: 1 }],
    ['get_call', { call_id: callId }], ['get_transcript', { call_id: callId, limit: 2 }],
    ['similar_calls', { call_id: callId, k: 2 }], ['account_brief', { account }],
    ['get_call', { call_id: 'no-such-call' }]]) {
  const r = await client.callTool({ name, arguments: args });
  out.calls[name + (args.call_id === 'no-such-call' ? ':missing' : '')] =
      { isError: r.isError === true, text: r.content[0].text };
}
try {
  await client.callTool({ name: 'no_such_tool', arguments: {} });
  out.unknownTool = 'no error';
} catch (e) {
  out.unknownTool = e.code;
}
await client.close();
console.log(JSON.stringify(out));
