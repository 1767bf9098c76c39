import { openBodies } from '../domain/open-data';
import type { Stores } from '.';

/**
 * Every certifying body, the ACTIVE accreditations and the standards they
 * name (certification's projection): three reads, whatever the number of
 * bodies. Staff are read with the bodies but never written out.
 */
export async function openBodiesFrom(
  stores: Pick<Stores, 'bodies' | 'accreditations' | 'projections'>,
) {
  const [bodyIds, accreditationIds] = await Promise.all([
    stores.bodies.model.find({}, { _id: 1 }).lean<{ _id: string }[]>(),
    stores.accreditations.model
      .find({ status: 'ACTIVE' }, { _id: 1 })
      .lean<{ _id: string }[]>(),
  ]);
  const [bodies, accreditations] = await Promise.all([
    stores.bodies.findByIds(bodyIds.map((d) => d._id)),
    stores.accreditations.findByIds(accreditationIds.map((d) => d._id)),
  ]);
  const standards = await stores.projections.findStandards([
    ...new Set(accreditations.map((a) => a.standardId)),
  ]);
  return openBodies(bodies, accreditations, standards);
}
