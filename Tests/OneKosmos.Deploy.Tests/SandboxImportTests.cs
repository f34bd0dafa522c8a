using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace OneKosmos.Deploy.Tests
{
    /// <summary>The sandbox's import, as okos-deploy meets it: it runs exactly the code it imported, and says why an import failed.</summary>
    [TestClass]
    public sealed class SandboxImportTests
    {
        [TestMethod]
        public async Task APackageBuiltApartFromTheSandbox_FailsTheImport_NamingTheAssembly()
        {
            await using var target = await DeployTarget.StartAsync();
            var otherBuild = WithPackagedAssembly(Solutions.Current, "OneKosmos.Plugins.dll", OtherBuildOf);

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), otherBuild));

            StringAssert.Contains(failure.Message, "OneKosmos.Plugins.dll is not the build the sandbox runs");
            Assert.AreEqual(0, target.Dataverse.Rows("plugintype").Count);
        }

        /// <summary>What okos-deploy never asks for, refused as Dataverse refuses it: so a run that did would show.</summary>
        [TestMethod]
        public async Task AManagedReimportOfTheSameVersion_IsRefusedAsDataverseRefusesIt()
        {
            await using var target = await DeployTarget.StartAsync();
            await target.DeployAsync(new RecordingOutput(), Solutions.Current);
            using var http = new System.Net.Http.HttpClient(new System.Net.Http.HttpClientHandler { ServerCertificateCustomValidationCallback = OneKosmos.Sandbox.Host.Tls.LocalCertificate.Pin(target.Endpoint.Certificate) });
            var token = target.Endpoint.Issuer.Grant(target.Dataverse.Rows("systemuser").First(user => user.GetAttributeValue<string>("fullname") == "Pipeline (administrator)").Id);
            using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Post, target.Endpoint.Url + "/api/data/v9.2/ImportSolutionAsync")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new System.Collections.Generic.Dictionary<string, string> { ["CustomizationFile"] = Convert.ToBase64String(Solutions.Current) }),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

            using var response = await http.SendAsync(request);

            Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var job = target.Dataverse.Rows("asyncoperation").Last();
            Assert.AreEqual(31, job.GetAttributeValue<Microsoft.Xrm.Sdk.OptionSetValue>("statuscode").Value);
            StringAssert.Contains(job.GetAttributeValue<string>("message"), "This version of the solution package is already installed");
        }

        [TestMethod]
        public async Task NotAZip_FailsTheImport_SayingSo()
        {
            await using var target = await DeployTarget.StartAsync();
            var notAZip = new byte[] { 0x50, 0x4b, 0x03, 0x04, 1, 2, 3 };

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), notAZip));

            Assert.AreEqual("Read the solution", failure.Step);
            StringAssert.Contains(failure.Message, "not a solution zip");
        }

        [TestMethod]
        public async Task TheImport_GivesEachPackageTypeAFreshIdAndA64HexExportKey()
        {
            await using var first = await DeployTarget.StartAsync();
            await using var second = await DeployTarget.StartAsync();

            await first.DeployAsync(new RecordingOutput(), Solutions.Current);
            await second.DeployAsync(new RecordingOutput(), Solutions.Current);

            var types = first.Dataverse.Rows("plugintype").Where(type => type.GetAttributeValue<string>("typename").StartsWith("OneKosmos.CustomApis.", StringComparison.Ordinal)).ToList();
            Assert.AreEqual(9, types.Count);
            Assert.IsTrue(types.All(type => System.Text.RegularExpressions.Regex.IsMatch(type.GetAttributeValue<string>("plugintypeexportkey"), "^[0-9a-f]{64}$")));
            Assert.IsFalse(second.Dataverse.Rows("plugintype").Any(type => types.Any(known => known.Id == type.Id || known.GetAttributeValue<string>("plugintypeexportkey") == type.GetAttributeValue<string>("plugintypeexportkey"))),
                "ids and keys differ between environments");
        }

        /// <summary>The same assembly with another module version id: what a second build of the same source is.</summary>
        private static byte[] OtherBuildOf(byte[] assembly)
        {
            using var reader = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(assembly));
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
            var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToByteArray();
            var copy = (byte[])assembly.Clone();
            var at = copy.AsSpan().IndexOf(mvid);
            Assert.IsTrue(at >= 0, "the module version id is in the file");
            copy[at] ^= 0xff;
            return copy;
        }

        private static byte[] WithPackagedAssembly(byte[] solution, string assemblyName, Func<byte[], byte[]> change)
        {
            var copy = new MemoryStream();
            copy.Write(solution);
            using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
            {
                var packageEntry = archive.Entries.Single(entry => entry.FullName.EndsWith(".nupkg", StringComparison.Ordinal));
                var package = new MemoryStream();
                using (var stream = packageEntry.Open())
                {
                    stream.CopyTo(package);
                }
                using (var nupkg = new ZipArchive(package, ZipArchiveMode.Update, leaveOpen: true))
                {
                    var dll = nupkg.GetEntry("lib/net462/" + assemblyName)!;
                    var bytes = new MemoryStream();
                    using (var stream = dll.Open())
                    {
                        stream.CopyTo(bytes);
                    }
                    dll.Delete();
                    using var write = nupkg.CreateEntry("lib/net462/" + assemblyName).Open();
                    write.Write(change(bytes.ToArray()));
                }
                var name = packageEntry.FullName;
                packageEntry.Delete();
                using var target = archive.CreateEntry(name).Open();
                target.Write(package.ToArray());
            }
            return copy.ToArray();
        }
    }
}
