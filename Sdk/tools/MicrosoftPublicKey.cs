// Re-derives Microsoft's 160-byte public key blob from an assembly Microsoft signed with it
// (the shared framework's System.ServiceModel.Web.dll), so the committed copy can be checked.
// Usage: dotnet run Sdk/tools/MicrosoftPublicKey.cs -- <signed-assembly> <committed-blob> [--write]
using System;
using System.IO;
using System.Reflection;
using System.Security.Cryptography;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MicrosoftPublicKey.cs <signed-assembly> <committed-blob> [--write]");
    return 2;
}

var derived = AssemblyName.GetAssemblyName(args[0]).GetPublicKey();
if (derived is null || derived.Length != 160)
{
    Console.Error.WriteLine($"{args[0]} carries no 160-byte public key");
    return 1;
}

var token = SHA1.HashData(derived)[^8..];
Array.Reverse(token);
var tokenText = Convert.ToHexStringLower(token);
if (tokenText != "31bf3856ad364e35")
{
    Console.Error.WriteLine($"{args[0]} is signed with token {tokenText}, not Microsoft's 31bf3856ad364e35");
    return 1;
}

if (args.Length > 2 && args[2] == "--write")
{
    File.WriteAllBytes(args[1], derived);
    Console.WriteLine($"wrote {args[1]} (token {tokenText})");
    return 0;
}

var committed = File.ReadAllBytes(args[1]);
if (!committed.AsSpan().SequenceEqual(derived))
{
    Console.Error.WriteLine($"{args[1]} differs from the public key of {args[0]}");
    return 1;
}
Console.WriteLine($"{args[1]} matches {Path.GetFileName(args[0])} (token {tokenText})");
return 0;
