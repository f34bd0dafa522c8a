using System;
using System.IO;
using System.Text.Json;

namespace OneKosmos.Solution.Packer
{
    /// <summary>The solution's identity, from pac.config (its shape is documented in the README).</summary>
    internal sealed class SolutionConfig
    {
        public string UniqueName { get; private init; } = "";

        public string DisplayName { get; private init; } = "";

        public string Description { get; private init; } = "";

        public string Version { get; private init; } = "";

        public string PublisherUniqueName { get; private init; } = "";

        public string PublisherDisplayName { get; private init; } = "";

        public string PublisherDescription { get; private init; } = "";

        public string Prefix { get; private init; } = "";

        public int OptionValuePrefix { get; private init; }

        /// <exception cref="InvalidDataException">A field is missing or out of range; the message names it.</exception>
        public static SolutionConfig Load(string path)
        {
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{path}: not valid JSON ({exception.Message}).", exception);
            }
            string Text(string section, string field)
            {
                if (!root.TryGetProperty(section, out var parent) || !parent.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                {
                    throw new InvalidDataException($"{path}: {section}.{field} is missing or empty.");
                }
                return value.GetString()!;
            }

            var version = Text("solution", "version");
            if (!System.Version.TryParse(version, out var parsed) || version.Split('.').Length != 4)
            {
                throw new InvalidDataException($"{path}: solution.version must have four parts, like 1.0.0.0 (it is '{version}').");
            }
            var prefix = Text("publisher", "prefix");
            var optionValuePrefix = root.GetProperty("publisher").TryGetProperty("optionValuePrefix", out var number) && number.TryGetInt32(out var value) ? value : 0;
            if (optionValuePrefix is < 10000 or > 99999)
            {
                throw new InvalidDataException($"{path}: publisher.optionValuePrefix must be a number from 10000 to 99999.");
            }
            return new SolutionConfig
            {
                UniqueName = Text("solution", "uniqueName"),
                DisplayName = Text("solution", "displayName"),
                Description = Text("solution", "description"),
                Version = parsed.ToString(4),
                PublisherUniqueName = Text("publisher", "uniqueName"),
                PublisherDisplayName = Text("publisher", "displayName"),
                PublisherDescription = Text("publisher", "description"),
                Prefix = prefix,
                OptionValuePrefix = optionValuePrefix,
            };
        }

        /// <value>The version as Dataverse names exported files: 1_0_0_0.</value>
        public string FileVersion => Version.Replace('.', '_');
    }
}
