// Copyright 2025 Fondazione LINKS

// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at

//     http://www.apache.org/licenses/LICENSE-2.0

// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

use serde::{de::DeserializeOwned, Serialize};

/// A trait representing a public key with serialization and deserialization capabilities.
pub trait PublicKey: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The output type for the public key.
    type Output: ?Sized;

    /// Converts the public key to bytes.
    fn to_bytes(&self) -> Self::Output;
    /// Encodes the public key as a string.
    fn encode(&self) -> String;
}
/// A trait representing a private key with serialization and deserialization capabilities.
pub trait PrivateKey: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The output type for the private key.
    type Output: ?Sized;

    /// Converts the private key to bytes.
    fn to_bytes(&self) -> Self::Output;
    /// Encodes the private key as a string.
    fn encode(&self) -> String;
}
