using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// Reads the step registrations of an unpacked solution (<c>SdkMessageProcessingSteps/{id}.xml</c>, the
    /// layout SolutionPackager and <c>pac solution unpack</c> write), refusing what Dataverse would refuse.
    /// </summary>
    public static class SolutionStepReader
    {
        public const string StepsFolder = "SdkMessageProcessingSteps";

        /// <exception cref="InvalidDataException">A step file is malformed; the message names the file and element.</exception>
        public static IReadOnlyList<StepRegistration> Read(string solutionSourceDirectory)
        {
            var folder = Path.Combine(solutionSourceDirectory, StepsFolder);
            if (!Directory.Exists(folder))
            {
                return Array.Empty<StepRegistration>();
            }
            return Directory.GetFiles(folder, "*.xml")
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => ReadStep(path, Path.Combine(StepsFolder, Path.GetFileName(path))))
                .ToList();
        }

        private static StepRegistration ReadStep(string path, string file)
        {
            XElement root;
            try
            {
                root = XDocument.Load(path).Root!;
            }
            catch (System.Xml.XmlException exception)
            {
                throw new InvalidDataException($"{file}: not well-formed XML ({exception.Message}).", exception);
            }
            if (root.Name.LocalName != "SdkMessageProcessingStep")
            {
                throw new InvalidDataException($"{file}: the root element is <{root.Name.LocalName}>, not <SdkMessageProcessingStep>.");
            }

            var message = MessageOf(root, file);
            var stage = Number(root, "Stage", file);
            if (stage is not (10 or 20 or 40))
            {
                throw new InvalidDataException($"{file}: <Stage> must be 10 (pre-validation), 20 (pre-operation) or 40 (post-operation), not {stage}.");
            }
            var mode = Number(root, "Mode", file);
            if (mode is not (0 or 1))
            {
                throw new InvalidDataException($"{file}: <Mode> must be 0 (synchronous) or 1 (asynchronous), not {mode}.");
            }
            if (mode == 1 && stage != 40)
            {
                throw new InvalidDataException($"{file}: an asynchronous step must be registered at stage 40 (post-operation), not {stage}.");
            }
            var primaryEntity = (string?)root.Element("PrimaryEntity");

            return new StepRegistration
            {
                Id = ParseId((string?)root.Attribute("SdkMessageProcessingStepId"), file),
                Name = (string?)root.Attribute("Name") ?? "",
                PluginTypeName = TypeNameOf(Required(root, "PluginTypeName", file)),
                MessageName = message,
                PrimaryEntity = string.IsNullOrEmpty(primaryEntity) || primaryEntity == "none" ? null : primaryEntity,
                Stage = (PipelineStage)stage,
                Mode = (ExecutionMode)mode,
                Rank = root.Element("Rank") is null ? 1 : Number(root, "Rank", file),
                FilteringAttributes = StepRegistration.ColumnsOf((string?)root.Element("FilteringAttributes")),
                Configuration = (string?)root.Element("Configuration"),
                Images = root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage")
                    .Select(image => ReadImage(image, message, stage, file)).ToList() ?? new List<ImageRegistration>(),
            };
        }

        /// <remarks>
        /// pac names a step's message by its sdkmessage id. The platform messages every environment has (Create, Update…) are
        /// named so; a message whose id we cannot know here (Win and QualifyLead belong to Dynamics 365 Sales) is named by
        /// <c>&lt;SdkMessageName&gt;</c>, which okos-deploy looks up in the environment's sdkmessages. Steps are registered by
        /// okos-deploy, never imported from the zip, so this element never reaches Dataverse.
        /// </remarks>
        private static string MessageOf(XElement root, string file)
        {
            if ((string?)root.Element("SdkMessageName") is { Length: > 0 } name)
            {
                return root.Element("SdkMessageId") is null
                    ? name.Trim()
                    : throw new InvalidDataException($"{file}: name the message by <SdkMessageId> or by <SdkMessageName>, not both.");
            }
            var messageId = Required(root, "SdkMessageId", file);
            return (Guid.TryParse(messageId, out var id) ? SdkMessages.NameOf(id) : null)
                ?? throw new InvalidDataException($"{file}: <SdkMessageId> {messageId} is not a platform message the sandbox knows (Create, Update, Delete, Retrieve, RetrieveMultiple); name any other message by <SdkMessageName>.");
        }

        private static ImageRegistration ReadImage(XElement image, string message, int stage, string file)
        {
            var alias = (string?)image.Element("EntityAlias") ?? (string?)image.Attribute("Name");
            if (string.IsNullOrEmpty(alias))
            {
                throw new InvalidDataException($"{file}: an <SdkMessageProcessingStepImage> has no <EntityAlias>.");
            }
            var kind = Number(image, "ImageType", file);
            if (kind is not (0 or 1 or 2))
            {
                throw new InvalidDataException($"{file}: image {alias}: <ImageType> must be 0 (pre), 1 (post) or 2 (both), not {kind}.");
            }
            var wantsPre = kind is 0 or 2;
            var wantsPost = kind is 1 or 2;
            if (wantsPre && message == "Create")
            {
                throw new InvalidDataException($"{file}: image {alias}: a Create step has no pre-image (the row does not exist yet).");
            }
            if (wantsPost && (message == "Delete" || stage != 40))
            {
                throw new InvalidDataException($"{file}: image {alias}: a post-image exists only for a post-operation (stage 40) step on a message that keeps the row.");
            }
            return new ImageRegistration
            {
                Id = Guid.TryParse((string?)image.Element("SdkMessageProcessingStepImageId"), out var id) ? id : Guid.Empty,
                EntityAlias = alias,
                Kind = (ImageKind)kind,
                Attributes = StepRegistration.ColumnsOf((string?)image.Element("Attributes")),
                MessagePropertyName = (string?)image.Element("MessagePropertyName") ?? (message == "Create" ? "Id" : "Target"),
            };
        }

        private static string Required(XElement element, string name, string file)
        {
            var value = (string?)element.Element(name);
            return string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"{file}: <{name}> is missing or empty.") : value.Trim();
        }

        private static int Number(XElement element, string name, string file)
        {
            var text = Required(element, name, file);
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new InvalidDataException($"{file}: <{name}> must be a whole number, not '{text}'.");
        }

        private static Guid ParseId(string? text, string file) =>
            Guid.TryParse(text, out var id) ? id : throw new InvalidDataException($"{file}: the SdkMessageProcessingStepId attribute '{text}' is not a GUID.");

        /// <remarks>Registrations name the type assembly-qualified; the sandbox finds it by its full name.</remarks>
        private static string TypeNameOf(string assemblyQualifiedName) => assemblyQualifiedName.Split(',')[0].Trim();
    }
}
