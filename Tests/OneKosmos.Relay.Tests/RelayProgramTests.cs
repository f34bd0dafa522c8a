using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneKosmos.Relay;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Tests
{
    /// <summary>Starting the relay: configuration checked before anything runs, and the dead-letter commands.</summary>
    [TestClass]
    [DoNotParallelize]
    public sealed class RelayProgramTests
    {
        private string _path = "";
        private TextWriter _out = null!;
        private TextWriter _error = null!;
        private readonly StringWriter _printed = new();
        private readonly StringWriter _complaints = new();

        [TestInitialize]
        public void Arrange()
        {
            _path = Path.Combine(Path.GetTempPath(), $"okos-cli-{Guid.NewGuid():N}.db");
            (_out, _error) = (Console.Out, Console.Error);
            Console.SetOut(_printed);
            Console.SetError(_complaints);
        }

        [TestCleanup]
        public void Clean()
        {
            Console.SetOut(_out);
            Console.SetError(_error);
            SqliteRelayQueue.DeleteFiles(_path);
        }

        private Task<int> Run(Dictionary<string, string?> settings, params string[] args) =>
            RelayProgram.RunAsync(args, builder => builder.Configuration.AddInMemoryCollection(settings));

        [TestMethod]
        public async Task AMissingSecret_StopsTheRelayBeforeItStarts_NamingEverySetting()
        {
            var exit = await Run(new Dictionary<string, string?> { ["Relay:Dataverse:Url"] = "http://contoso.crm.dynamics.com" });

            Assert.AreEqual(2, exit);
            var message = _complaints.ToString();
            StringAssert.Contains(message, "Relay:Ingress:Secrets must list the senders' whsec_ secrets");
            StringAssert.Contains(message, "Relay:Dispatcher:SigningSecret must be the whsec_ secret");
            StringAssert.Contains(message, "Relay:Dataverse:Url must be the environment's https:// URL");
        }

        [TestMethod]
        public async Task AConcurrencyAboveDataversesLimit_OrNoServiceProtectionWindow_StopsTheDispatcher()
        {
            var exit = await Run(new Dictionary<string, string?> { ["Relay:Dispatcher:Concurrency"] = "53", ["Relay:Dispatcher:ServiceProtectionWindow"] = "00:00:00" }, "--role", "dispatcher");

            Assert.AreEqual(2, exit);
            StringAssert.Contains(_complaints.ToString(), "Relay:Dispatcher:Concurrency is 53: Dataverse refuses one user more than 52 concurrent requests");
            StringAssert.Contains(_complaints.ToString(), "Relay:Dispatcher:ServiceProtectionWindow must be a positive time span");
        }

        [TestMethod]
        public async Task AWeakEntraApiKey_StopsTheIngress()
        {
            var exit = await Run(new Dictionary<string, string?> { ["Relay:Ingress:Secrets:0"] = "whsec_c2VuZGVyLXNlY3JldC1mb3ItdGhlLWluZ3Jlc3MtMDE=", ["Relay:Ingress:EntraApiKeys:0"] = "changeme" }, "--role", "ingress");

            Assert.AreEqual(2, exit);
            StringAssert.Contains(_complaints.ToString(), "Relay:Ingress:EntraApiKeys must hold the 1Kosmos Connection's generated Entra Callback API Key");
        }

        [TestMethod]
        public async Task AnUnknownQueueMode_OrAnIncompleteServiceBus_IsNamed()
        {
            Assert.AreEqual(2, await Run(new Dictionary<string, string?> { ["Relay:Queue:Mode"] = "Kafka" }, "--role", "ingress"));
            StringAssert.Contains(_complaints.ToString(), "Relay:Queue:Mode is 'Kafka': use Sqlite (default) or ServiceBus");

            Assert.AreEqual(2, await Run(new Dictionary<string, string?> { ["Relay:Queue:Mode"] = "ServiceBus" }, "--role", "ingress"));
            StringAssert.Contains(_complaints.ToString(), "set Relay:ServiceBus:ConnectionString");
        }

        [TestMethod]
        public async Task DeadLetterCommands_ListReplayAndPurge()
        {
            var queue = new SqliteRelayQueue(_path, TimeProvider.System);
            foreach (var id in new[] { "m1", "m2" })
            {
                await queue.EnqueueAsync(new RelayMessage(id, MessageKind.Callback, id, "{}", DateTimeOffset.UtcNow, "c"), CancellationToken.None);
            }
            foreach (var leased in await queue.LeaseAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None))
            {
                await queue.DeadLetterAsync(leased, "Rejected: BAD_SIGNATURE", CancellationToken.None);
            }
            var settings = new Dictionary<string, string?> { ["Relay:QueuePath"] = _path };

            Assert.AreEqual(0, await Run(settings, "dead-letters", "list"));
            StringAssert.Contains(_printed.ToString(), "m1\t");
            StringAssert.Contains(_printed.ToString(), "Rejected: BAD_SIGNATURE");

            Assert.AreEqual(0, await Run(settings, "dead-letters", "replay", "m1"));
            Assert.AreEqual(1, await Run(settings, "dead-letters", "replay", "nope"));
            Assert.AreEqual(1, await queue.DepthAsync(CancellationToken.None));

            Assert.AreEqual(0, await Run(settings, "dead-letters", "purge"));
            StringAssert.Contains(_printed.ToString(), "Deleted 1 dead letter(s).");
            Assert.AreEqual(2, await Run(settings, "dead-letters", "explode"));
        }
    
        /// <summary>The Dataverse credential the relay holds was revoked: every token request fails.</summary>
        private sealed class RevokedCredential : OneKosmos.Relay.Dispatch.ITokenSource
        {
            public Task<string> GetTokenAsync(CancellationToken cancellation) =>
                throw new System.Security.Authentication.AuthenticationException("AADSTS7000215: Invalid client secret provided.");
        }

        [TestMethod]
        public async Task ADispatcherThatCannotHeal_StopsTheRelayWithExitCode3_SayingWhatFailed_InsteadOfExiting0()
        {
            await new SqliteRelayQueue(_path, TimeProvider.System)
                .EnqueueAsync(new RelayMessage("m1", MessageKind.Reconcile, null, "{\"type\":\"reconcile\",\"id\":\"m1\"}", DateTimeOffset.UtcNow, "c1"), CancellationToken.None);
            var settings = new Dictionary<string, string?>
            {
                ["Relay:QueuePath"] = _path,
                ["Relay:Dispatcher:SigningSecret"] = "whsec_" + Convert.ToBase64String(Enumerable.Range(7, 32).Select(value => (byte)value).ToArray()),
                ["Relay:Dispatcher:IdleDelay"] = "00:00:00.050",
                ["Relay:Dispatcher:BaseDelay"] = "00:00:00.010",
                ["Relay:Dispatcher:MaxDelay"] = "00:00:00.050",
                ["Relay:Dataverse:Url"] = "https://contoso.crm.dynamics.com",
                ["Relay:Loops:FirstBackOff"] = "00:00:00.010",
                ["Relay:Loops:LongestBackOff"] = "00:00:00.050",
                ["Relay:Loops:GiveUpAfter"] = "00:00:00.500",
            };

            // A relay that never gives up would run on: the test stops it after a minute, and then fails on its exit code.
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var exit = await RelayProgram.RunAsync(new[] { "--role", "dispatcher", "--urls", "http://127.0.0.1:0" }, builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Services.AddSingleton<OneKosmos.Relay.Dispatch.ITokenSource>(new RevokedCredential());
            }, patience.Token);

            Assert.AreEqual(3, exit);
            StringAssert.Contains(_complaints.ToString(), "The dispatcher has failed every round");
            StringAssert.Contains(_complaints.ToString(), "AuthenticationException: AADSTS7000215");
        }
    
        [TestMethod]
        public void TheQueueFile_LivesInTheDataFolder_NeverInTheAppFolderARedeployReplaces()
        {
            var folder = Path.Combine(Path.GetTempPath(), $"okos-data-{Guid.NewGuid():N}");
            try
            {
                RelaySettings.Queue(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:DataFolder"] = folder }).Build());
                var settings = RelaySettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Relay:Role"] = "poller", ["Relay:BlockId:TenantDns"] = "acme.1kosmos.net", ["Relay:BlockId:Community"] = "default", ["Relay:BlockId:LicenseKey"] = "k",
                }).Build(), tokenSourceGiven: true);

                Assert.IsTrue(Directory.Exists(folder), "the configured data folder is created for the queue");
                Assert.IsFalse(settings.QueuePath.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal), settings.QueuePath);
                StringAssert.EndsWith(settings.QueuePath, Path.Combine("okos-relay", "relay-queue.db"));
            }
            finally
            {
                SqliteRelayQueue.DeleteFiles(Path.Combine(folder, "relay-queue.db"));
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
    }
}
