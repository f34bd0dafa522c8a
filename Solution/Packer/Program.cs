using System;
using System.IO;
using System.Linq;
using OneKosmos.Solution.Packer;

// okos-pack: validates Solution/src and writes out/<UniqueName>_<version>.zip and ..._managed.zip.
//   dotnet run --project Solution/Packer -- pack [--check] [--root DIR] [--source DIR] [--assemblies DIR] [--workflow-assemblies DIR] [--web-resources DIR] [--out DIR]
// Exit codes: 0 done, 1 the source has problems (each printed as file:line: <element>: message), 2 usage or configuration.
if (args.Length == 0 || args[0] != "pack")
{
    Console.Error.WriteLine("usage: okos-pack pack [--check] [--root DIR] [--source DIR] [--assemblies DIR] [--workflow-assemblies DIR] [--web-resources DIR] [--out DIR]");
    return 2;
}
string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

var root = Option("--root") ?? Repository.FindRoot(Directory.GetCurrentDirectory());
if (root is null)
{
    Console.Error.WriteLine("okos-pack: no pac.config here or above; run from the repository or pass --root.");
    return 2;
}
SolutionConfig config;
try
{
    config = SolutionConfig.Load(Path.Combine(root, "pac.config"));
}
catch (Exception exception) when (exception is InvalidDataException or IOException)
{
    Console.Error.WriteLine($"okos-pack: {exception.Message}");
    return 2;
}
var packer = new Packer(
    Option("--source") ?? Path.Combine(root, "Solution", "src"),
    Option("--assemblies") ?? Path.Combine(root, "CustomApis", "bin", Repository.BuildConfiguration(typeof(Packer).Assembly), "net462"),
    config,
    Option("--workflow-assemblies") ?? Path.Combine(root, "Workflow", "bin", Repository.BuildConfiguration(typeof(Packer).Assembly), "net462"),
    Option("--web-resources") ?? Path.Combine(root, "WebResources", "dist"));

if (args.Contains("--check"))
{
    var problems = packer.Check();
    foreach (var problem in problems)
    {
        Console.Error.WriteLine(problem);
    }
    Console.WriteLine(problems.Count == 0 ? "pack --check: the solution source is valid." : $"pack --check: {problems.Count} problem(s).");
    return problems.Count == 0 ? 0 : 1;
}

var (found, written) = packer.Pack(Option("--out") ?? Path.Combine(root, "out"));
foreach (var problem in found)
{
    Console.Error.WriteLine(problem);
}
foreach (var path in written)
{
    Console.WriteLine($"wrote {Path.GetRelativePath(root, path)}");
}
return found.Count == 0 ? 0 : 1;
