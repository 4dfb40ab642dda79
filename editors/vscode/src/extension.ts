// Starts `goldpath lsp` for Terraform, HCL, YAML and SQL migration files and restarts it when its settings change.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const settings = vscode.workspace.getConfiguration("goldpath");
  const command = settings.get<string>("path") || "goldpath";
  return { command, args: ["lsp"], transport: TransportKind.stdio };
}

function clientOptions(): LanguageClientOptions {
  const settings = vscode.workspace.getConfiguration("goldpath");
  const config = settings.get<string>("config") || "";
  return {
    documentSelector: [
      { scheme: "file", language: "terraform" },
      { scheme: "file", language: "terraform-vars" },
      { scheme: "file", language: "hcl" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "helm" },
      { scheme: "file", language: "sql" },
      { scheme: "file", pattern: "**/*.tf" },
      { scheme: "file", pattern: "**/*.tfvars" },
    ],
    initializationOptions: config ? { config } : {},
    outputChannelName: "goldpath",
  };
}

async function start(): Promise<void> {
  client = new LanguageClient("goldpath", "goldpath", serverOptions(), clientOptions());
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("goldpath.restart", async () => {
      await client?.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("goldpath.path") || event.affectsConfiguration("goldpath.config")) {
        await client?.stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
