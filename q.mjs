import ts from "typescript"
const file = process.argv[2]
const cfg = ts.getParsedCommandLineOfConfigFile("tsconfig.check.json", {}, {...ts.sys, onUnRecoverableConfigFileDiagnostic(){}})
const program = ts.createProgram([file], cfg.options)
const checker = program.getTypeChecker()
const sf = program.getSourceFile(file)
ts.forEachChild(sf, function visit(n) {
  if (ts.isTypeAliasDeclaration(n)) console.log(n.name.text, "=", checker.typeToString(checker.getTypeAtLocation(n.name), undefined, ts.TypeFormatFlags.NoTruncation))
  ts.forEachChild(n, visit)
})
