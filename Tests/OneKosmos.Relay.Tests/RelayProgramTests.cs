using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
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
    }
}
