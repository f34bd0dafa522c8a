using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using OneKosmos.Plugins.Steps;

namespace OneKosmos.Plugins.Tests
{
    /// <summary>Dataverse loads our assemblies only if they are strong-named net462 and bind to its own SDK.</summary>
    [TestClass]
    public sealed class AssemblyIdentityTests
    {
        private const string MicrosoftPublicKeyToken = "31bf3856ad364e35";

        private static Assembly PluginsAssembly => typeof(PluginBase).Assembly;

        private static Assembly CustomApisAssembly => Assembly.Load("OneKosmos.CustomApis");

        private static string TokenOf(AssemblyName name) => Convert.ToHexStringLower(name.GetPublicKeyToken() ?? Array.Empty<byte>());

        [TestMethod]
        public void Plugins_ReferencesTheOfficialSdkIdentity()
        {
            var sdk = PluginsAssembly.GetReferencedAssemblies().Single(reference => reference.Name == "Microsoft.Xrm.Sdk");

            Assert.AreEqual(new Version(9, 0, 0, 0), sdk.Version);
            Assert.AreEqual(MicrosoftPublicKeyToken, TokenOf(sdk));
            Assert.AreEqual("Microsoft.Xrm.Sdk, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35", sdk.FullName);
        }

        [TestMethod]
        public void PluginsAndCustomApis_AreStrongNamedWithTheProductKey()
        {
            var plugins = PluginsAssembly.GetName();

            Assert.AreEqual(16, TokenOf(plugins).Length);
            Assert.AreNotEqual(MicrosoftPublicKeyToken, TokenOf(plugins));
            Assert.AreEqual(TokenOf(plugins), TokenOf(CustomApisAssembly.GetName()));
        }

        [TestMethod]
        public void Plugins_TargetsNetFramework462()
        {
            Assert.AreEqual(".NETFramework,Version=v4.6.2", PluginsAssembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
        }

        [TestMethod]
        public void StandInSdk_CarriesMicrosoftsIdentity()
        {
            var sdk = typeof(Microsoft.Xrm.Sdk.Entity).Assembly.GetName();

            Assert.AreEqual(new Version(9, 0, 0, 0), sdk.Version);
            Assert.AreEqual(MicrosoftPublicKeyToken, TokenOf(sdk));
        }
    }
}
