/** @type {import('prettier').Config} */
// The OCA's prettier configuration (oca-addons-repo-template, 18.0 and later).
const config = {
    // The plugin is installed beside prettier by pre-commit (NODE_PATH).
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
