using Splicer.Client.Verbs;
using Splicer.ClientOnly;

NativeSodium.LoadFromInside();
return await CliRunner.RunAsync(ClientVerbs.Root(), args);
