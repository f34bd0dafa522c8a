using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Field permissions name secured columns.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckFieldSecurity(SolutionMetadata metadata)
        {
            foreach (var profile in metadata.FieldSecurityProfiles)
            {
                foreach (var permission in profile.Permissions)
                {
                    var column = metadata.Table(permission.Table)?.Column(permission.Column);
                    if (column is null || !column.IsSecured)
                    {
                        _problems.Add(new Problem(SolutionMetadataReader.FieldSecurityProfilesFile, "FieldPermission",
                            $"profile '{profile.Name}' grants {permission.Table}.{permission.Column}, which is not a field-secured column of the solution"));
                    }
                }
            }
        }
    }
}
