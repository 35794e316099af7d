// Points the private test keyring's default collection at gnome-keyring's in-memory one.
import { makeDefaultCollectionVolatile } from './keyring';

makeDefaultCollectionVolatile();
