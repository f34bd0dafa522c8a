using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>No two components share an id.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckUniqueIds()
        {
            var seen = new Dictionary<Guid, string>();
            foreach (var (path, element, id) in Ids())
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    Add(path, element.Name.LocalName, element, $"'{id}' is not a GUID");
                }
                else if (seen.TryGetValue(guid, out var first))
                {
                    Add(path, element.Name.LocalName, element, $"the id {guid} is already used by {first}");
                }
                else
                {
                    seen[guid] = path;
                }
            }
        }

        private IEnumerable<(string Path, XElement Element, string Id)> Ids()
        {
            foreach (var (path, document) in _source.Under("Entities"))
            {
                foreach (var element in document.Descendants().Where(element => element.Name.LocalName is "formid" or "savedqueryid"))
                {
                    yield return (path, element, element.Value);
                }
            }
            foreach (var (path, document) in _source.Under("Roles"))
            {
                yield return (path, document.Root!, (string?)document.Root!.Attribute("id") ?? "");
            }
            foreach (var profile in FieldSecurityProfiles())
            {
                yield return (SolutionMetadataReader.FieldSecurityProfilesFile, profile, (string?)profile.Attribute("fieldsecurityprofileid") ?? "");
            }
            foreach (var (path, document) in _source.Under(SolutionStepReader.StepsFolder))
            {
                yield return (path, document.Root!, (string?)document.Root!.Attribute("SdkMessageProcessingStepId") ?? "");
            }
        }

        private IEnumerable<XElement> FieldSecurityProfiles() =>
            _source.Document(SolutionMetadataReader.FieldSecurityProfilesFile)?.Root?.Elements("FieldSecurityProfile") ?? Enumerable.Empty<XElement>();
    }
}
