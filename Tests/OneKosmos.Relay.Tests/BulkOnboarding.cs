using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// A KYC migration: an import tool creates contacts through the Web API with verify-on-create on, while 1Kosmos takes
    /// only so many starts a second and Dataverse enforces its service protection limits on the importing user. The import
    /// tool is well behaved (it waits out every Retry-After). Then reconcile runs back to back as the relay's application
    /// user, as a tight schedule would, and retries the starts 1Kosmos turned away. The two run one after the other because
    /// the in-memory Dataverse serves one request at a time: a reconcile run waiting out 1Kosmos' Retry-After would stall
    /// the import, which a real environment, serving both at once, would not; so the total is an upper bound.
    /// Shared by the CI test and the benchmark.
    /// </summary>
    internal static class BulkOnboarding
    {
        /// <param name="Contacts">Contacts imported.</param>
        /// <param name="Verifications">Verification rows at the end.</param>
        /// <param name="ContactsVerifiedOnce">Contacts with exactly one verification.</param>
        /// <param name="Unstarted">Verifications still without a 1Kosmos session (reserved only) at the end: stuck, if any.</param>
        /// <param name="Seconds">From the first create until every contact's verification was started.</param>
        /// <param name="ImportSeconds">Until the last contact was created (the rest is reconcile's).</param>
        /// <param name="ImportRequests">Web API requests the import tool sent, refusals included.</param>
        /// <param name="ImportRefusals">Of those, refused with 429.</param>
        /// <param name="ReconcileRuns">okos_ReconcileVerifications calls.</param>
        /// <param name="PluginCalls">Dataverse calls the product's plug-ins made (inside Dataverse: no service protection limit counts them).</param>
        /// <param name="StartsThrottled">Starts 1Kosmos answered 429.</param>
        /// <param name="BlockIdCalls">Every call 1Kosmos received.</param>
        public sealed record Report(int Contacts, int Verifications, int ContactsVerifiedOnce, int Unstarted, double Seconds, double ImportSeconds,
            int ImportRequests, int ImportRefusals, int ReconcileRuns, int PluginCalls, int StartsThrottled, int BlockIdCalls);

        private const int ImportConcurrency = 8;

        public static async Task<Report> RunAsync(int contacts, int startsPerSecond, ServiceProtectionLimits limits, CancellationToken budget)
        {
            var product = new ProductSandbox(startsPerSecond: startsPerSecond);
            await using var dataverse = await LocalDataverse.StartAsync(product);
            product.Set("okos_VerifyOnContactCreate", "yes");
            dataverse.Api.ServiceProtection = new ServiceProtection(limits);
            var importToken = await dataverse.ApplicationTokenAsync("okos-bench-importer", "Salesperson");
            var relayToken = await dataverse.TokenAsync();
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(dataverse.Certificate) })
            {
                BaseAddress = new Uri(dataverse.Url),
            };
            using var calls = product.Dataverse.StartCallLog();
            var clock = Stopwatch.StartNew();
            var importer = new PoliteClient(http, importToken);
            var importSeconds = await ImportAsync(importer, contacts, budget);
            var reconciler = new PoliteClient(http, relayToken);
            var runs = 0;
            while (Unstarted(product) > 0)
            {
                await reconciler.PostAsync("okos_ReconcileVerifications", new Dictionary<string, object> { ["OlderThanMinutes"] = 0, ["MaxSessions"] = 500 }, budget);
                runs++;
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var rows = product.Verifications;
            var perContact = rows.GroupBy(row => row.GetAttributeValue<Microsoft.Xrm.Sdk.EntityReference>("okos_contactid").Id).ToList();
            return new Report(contacts, rows.Length, perContact.Count(group => group.Count() == 1), Unstarted(product), seconds, importSeconds,
                importer.Requests, importer.Refusals, runs, calls.Count, product.Simulator.StartsThrottled, product.Simulator.Calls.Count);
        }

        private static int Unstarted(ProductSandbox product) =>
            product.Verifications.Count(row => row.GetAttributeValue<string>("okos_sessionid").StartsWith("reserved:", StringComparison.Ordinal));

        /// <returns>Seconds until the last contact was created.</returns>
        private static async Task<double> ImportAsync(PoliteClient client, int contacts, CancellationToken budget)
        {
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, ImportConcurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < contacts)
                {
                    await client.PostAsync("contacts", new Dictionary<string, object>
                    {
                        ["firstname"] = "Migrated", ["lastname"] = $"Customer {i:D5}", ["emailaddress1"] = $"customer{i}@example.com",
                    }, budget);
                }
            }));
            return clock.Elapsed.TotalSeconds;
        }

        /// <summary>A Web API client that waits out Dataverse's Retry-After, all its requests together, as Microsoft advises.</summary>
        private sealed class PoliteClient(HttpClient http, string token)
        {
            private readonly object _lock = new();
            private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
            private int _requests;
            private int _refusals;

            public int Requests => Volatile.Read(ref _requests);

            public int Refusals => Volatile.Read(ref _refusals);

            public async Task PostAsync(string path, object body, CancellationToken budget)
            {
                while (true)
                {
                    TimeSpan wait;
                    lock (_lock)
                    {
                        wait = _pausedUntil - TimeProvider.System.GetUtcNow();
                    }
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, budget);
                    }
                    using var request = new HttpRequestMessage(HttpMethod.Post, DataverseWebApi.Root + "/" + path) { Content = JsonContent.Create(body) };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    Interlocked.Increment(ref _requests);
                    using var response = await http.SendAsync(request, budget);
                    if (response.StatusCode != HttpStatusCode.TooManyRequests)
                    {
                        if (!response.IsSuccessStatusCode)
                        {
                            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(budget)}");
                        }
                        return;
                    }
                    Interlocked.Increment(ref _refusals);
                    var retryAfter = TimeSpan.FromSeconds(double.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture));
                    lock (_lock)
                    {
                        var until = TimeProvider.System.GetUtcNow() + retryAfter;
                        _pausedUntil = until > _pausedUntil ? until : _pausedUntil;
                    }
                }
            }
        }
    }
}
