using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    public sealed class EntityCollection : IExtensibleDataObject
    {
        public EntityCollection()
        {
            Entities = new DataCollection<Entity>();
        }

        /// <remarks>The rows are copied into a collection of its own: changing <paramref name="list"/> afterwards changes nothing here.</remarks>
        public EntityCollection(IList<Entity> list)
        {
            Entities = new DataCollection<Entity>(new List<Entity>(list ?? new List<Entity>()));
        }

        public DataCollection<Entity> Entities { get; }

        public Entity this[int index]
        {
            get => Entities[index];
            set => Entities[index] = value;
        }

        public string EntityName { get; set; }

        public bool MoreRecords { get; set; }

        public string PagingCookie { get; set; }

        public string MinActiveRowVersion { get; set; }

        public int TotalRecordCount { get; set; }

        public bool TotalRecordCountLimitExceeded { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
