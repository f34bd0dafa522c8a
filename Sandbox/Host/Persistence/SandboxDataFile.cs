using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.Sandbox.Host.Persistence
{
    /// <summary>
    /// <c>--data &lt;file&gt;</c>: the sandbox's business data kept across runs — every Dataverse row except the environment's own
    /// configuration, identities and secrets (settings, users, the 1Kosmos connection: each run makes those afresh), and the
    /// simulator's capture and LiveID sessions, so a person can still finish a capture started in an earlier run. Saved
    /// every two seconds when something changed and on stop, by writing a new file and renaming it over the old one, so a
    /// crash leaves the last complete save.
    /// </summary>
    public sealed class SandboxDataFile
    {
        public const string Format = "okos-sandbox-data/1";

        /// <summary>Tables each run sets up itself (okos-deploy installs the product anew); the connection's secrets in particular never go into the file.</summary>
        private static readonly HashSet<string> EnvironmentTables = new(StringComparer.Ordinal)
        {
            "systemuser", "businessunit", "environmentvariabledefinition", "environmentvariablevalue", "okos_blockidconnection",
            "solution", "solutioncomponent", "pluginpackage", "pluginassembly", "plugintype", "sdkmessage", "sdkmessagefilter",
            "sdkmessageprocessingstep", "sdkmessageprocessingstepimage", "customapi", "asyncoperation", "workflow", "connectionreference",
        };

        private readonly string _path;
        private string _lastSaved = "";

        public SandboxDataFile(string path)
        {
            _path = Path.GetFullPath(path);
        }

        public string FilePath => _path;

        /// <summary>Puts the file's rows and sessions into the freshly started environment; a missing file is an empty start.</summary>
        /// <returns>How many rows came back.</returns>
        /// <exception cref="InvalidDataException">The file is not a sandbox data file, or is damaged; the message names it. It is left as it is.</exception>
        public int Load(LocalEnvironment environment)
        {
            if (!File.Exists(_path))
            {
                return 0;
            }
            JsonObject file;
            try
            {
                file = JsonNode.Parse(File.ReadAllText(_path))?.AsObject() ?? throw new InvalidDataException("empty");
                if ((string?)file["format"] != Format)
                {
                    throw new InvalidDataException($"its format is '{(string?)file["format"]}', not {Format}");
                }
                var oldSimulator = ((string?)file["simulatorBaseUrl"] ?? "").TrimEnd('/');
                var rows = Required(file, "rows").AsArray().Select(row => RowOf(Required(row), oldSimulator, environment.Simulator.BaseUrl)).ToList();
                var sessions = Required(file, "captureSessions").AsArray().Select(node => SessionOf(Required(node))).ToList();
                var liveIds = Required(file, "liveIdSessions").AsArray()
                    .Select(node => new SimulatedLiveIdSession(Text(Required(node), "id"), (string?)node!["did"], (string?)node["ial"])).ToList();
                environment.Dataverse.Restore(rows);
                environment.Simulator.Restore(sessions, liveIds);
                _lastSaved = Text(environment);
                return rows.Count;
            }
            catch (Exception problem) when (problem is JsonException or InvalidOperationException or InvalidDataException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"{_path} is not a sandbox data file this version reads ({problem.Message}). Move it away or name another file with --data; it was left as it is.", problem);
            }
        }

        /// <summary>Writes the file when the data changed since the last save.</summary>
        /// <returns>Whether it wrote.</returns>
        public bool Save(LocalEnvironment environment)
        {
            var text = Text(environment);
            if (text == _lastSaved)
            {
                return false;
            }
            var folder = Path.GetDirectoryName(_path)!;
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
            // The file holds what Dataverse holds (capture links of pending sessions): readable by its owner only, and on the disk
            // before the rename, so a crash leaves the old file or the new one, never an empty one.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temporary, options))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, _path, overwrite: true);
            _lastSaved = text;
            return true;
        }

        /// <summary>Saves every <paramref name="interval"/> until <paramref name="stop"/>, then once more.</summary>
        public async Task KeepSavedAsync(LocalEnvironment environment, TimeSpan interval, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    Save(environment);
                }
            }
            catch (OperationCanceledException)
            {
            }
            Save(environment);
        }

        private static string Text(LocalEnvironment environment)
        {
            var dataverse = environment.Dataverse;
            var tables = dataverse.Metadata!.Tables.Keys.Where(table => !EnvironmentTables.Contains(table)).OrderBy(table => table, StringComparer.Ordinal);
            var file = new JsonObject
            {
                ["format"] = Format,
                ["simulatorBaseUrl"] = environment.Simulator.BaseUrl,
                ["rows"] = new JsonArray(tables.SelectMany(dataverse.Rows).Select(row => (JsonNode)JsonOf(row)).ToArray()),
                ["captureSessions"] = new JsonArray(environment.Simulator.Sessions.Select(session => (JsonNode)new JsonObject
                {
                    ["id"] = session.Id,
                    ["uid"] = session.Uid,
                    ["firstName"] = session.FirstName,
                    ["lastName"] = session.LastName,
                    ["documentType"] = session.DocumentType,
                    ["createdAt"] = session.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["outcome"] = session.Outcome?.ToString(),
                }).ToArray()),
                ["liveIdSessions"] = new JsonArray(environment.Simulator.LiveIdApprovals.OrderBy(session => session.Id, StringComparer.Ordinal)
                    .Select(session => (JsonNode)new JsonObject { ["id"] = session.Id, ["did"] = session.Did, ["ial"] = session.Ial }).ToArray()),
            };
            return file.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }

        private static JsonObject JsonOf(Entity row)
        {
            var columns = new JsonObject();
            foreach (var (name, value) in row.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                columns[name] = value switch
                {
                    null => null,
                    string text => new JsonObject { ["string"] = text },
                    int number => new JsonObject { ["int"] = number },
                    long number => new JsonObject { ["long"] = number },
                    decimal number => new JsonObject { ["decimal"] = number.ToString(CultureInfo.InvariantCulture) },
                    double number => new JsonObject { ["double"] = number },
                    bool flag => new JsonObject { ["bool"] = flag },
                    DateTime time => new JsonObject { ["datetime"] = DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture) },
                    Guid id => new JsonObject { ["guid"] = id.ToString() },
                    OptionSetValue option => new JsonObject { ["choice"] = option.Value },
                    Money money => new JsonObject { ["money"] = money.Value.ToString(CultureInfo.InvariantCulture) },
                    EntityReference reference => new JsonObject { ["lookup"] = new JsonObject { ["table"] = reference.LogicalName, ["id"] = reference.Id.ToString() } },
                    _ => throw new NotSupportedException($"The sandbox data file cannot keep {row.LogicalName}.{name}: a {value.GetType().Name}."),
                };
            }
            return new JsonObject { ["table"] = row.LogicalName, ["id"] = row.Id.ToString(), ["columns"] = columns };
        }

        /// <remarks>The simulator answers on a new port each run: links to its pages are moved to where it answers now.</remarks>
        private static Entity RowOf(JsonObject json, string oldSimulator, string newSimulator)
        {
            var row = new Entity(Text(json, "table"), Guid.Parse(Text(json, "id")));
            foreach (var (name, node) in Required(json, "columns").AsObject())
            {
                var typed = Required(node).AsObject().Single();
                object value = typed.Key switch
                {
                    "string" => (string)typed.Value!,
                    "int" => (int)typed.Value!,
                    "long" => (long)typed.Value!,
                    "decimal" => decimal.Parse((string)typed.Value!, CultureInfo.InvariantCulture),
                    "double" => (double)typed.Value!,
                    "bool" => (bool)typed.Value!,
                    "datetime" => DateTime.Parse((string)typed.Value!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    "guid" => Guid.Parse((string)typed.Value!),
                    "choice" => new OptionSetValue((int)typed.Value!),
                    "money" => new Money(decimal.Parse((string)typed.Value!, CultureInfo.InvariantCulture)),
                    "lookup" => new EntityReference(Text(Required(typed.Value), "table"), Guid.Parse(Text(Required(typed.Value), "id"))),
                    var other => throw new InvalidDataException($"{row.LogicalName}.{name} has a value of unknown kind '{other}'"),
                };
                if (value is string link && oldSimulator.Length > 0 && link.StartsWith(oldSimulator + "/", StringComparison.Ordinal))
                {
                    value = newSimulator + link[oldSimulator.Length..];
                }
                row[name] = value;
            }
            return row;
        }

        private static JsonObject Required(JsonNode? node) => node as JsonObject ?? throw new InvalidDataException("an entry is not a JSON object");

        private static JsonNode Required(JsonObject json, string name) => json[name] ?? throw new InvalidDataException($"'{name}' is missing");

        private static string Text(JsonObject json, string name) => (string?)json[name] ?? throw new InvalidDataException($"'{name}' is missing");

        private static SimulatedSession SessionOf(JsonObject json) =>
            new(Text(json, "id"), Text(json, "uid"), (string?)json["firstName"], (string?)json["lastName"], Text(json, "documentType"),
                DateTimeOffset.Parse(Text(json, "createdAt"), CultureInfo.InvariantCulture))
            {
                Outcome = json["outcome"] is { } outcome ? Enum.Parse<CaptureOutcome>((string)outcome!) : null,
            };
    }
}
