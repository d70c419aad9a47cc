extension Knowledge {
    /// The human body and health.
    static let bodyTopics: [Topic] = [
        Topic(
            name: "the heart", area: .body,
            keywords: ["heart", "blood", "pump", "beat"],
            technical: [
                "The heart is a muscular organ that pumps blood through the circulatory system by rhythmic contraction.",
                "It has four chambers: two atria receive blood and two ventricles eject it.",
                "The right side pumps deoxygenated blood to the lungs, and the left side pumps oxygenated blood to the body.",
                "The sinoatrial node generates the electrical impulses that set the heart rate.",
            ],
            simple: [
                "Your heart is a strong muscle in your chest that pumps blood around your body.",
                "It is about the size of your fist.",
                "Blood carries air and food to every part of you.",
                "Your heart beats about eighty times a minute, even when you sleep.",
                "When you run, it beats faster to give your muscles more air.",
            ],
            analogies: [
                Analogy("the heart", "a pump that pushes water through the pipes of a house"),
                Analogy("blood vessels", "roads that carry delivery trucks to every street"),
            ],
            facts: [
                Fact("The heart pumps blood around the body.", ["pump", "blood"]),
                Fact("The heart is about the size of your fist.", ["fist"]),
                Fact("The heart is a muscle.", ["muscle"]),
                Fact("The heart beats faster when you run.", ["faster"]),
            ],
            misconception: Misconception(
                claim: "Blood inside your body is blue until it touches the air.",
                triggers: ["blood", "is blue"],
                correction: "Blood is always red; it only looks blue through the skin."
            ),
            childQuestion: "Can you find your heartbeat on your wrist and count it for ten seconds?",
            storyIdea: "a heart that never took a day off",
            howTo: HowTo(
                questions: ["How can I hear my heartbeat?", "How can I count my heartbeat?"],
                steps: [
                    "Put two fingers on the inside of your wrist, below your thumb.",
                    "Press gently until you feel a small beat.",
                    "Count the beats while a grown-up times fifteen seconds.",
                    "Multiply by four to get your beats in a minute.",
                    "Now jump for a minute and count again to see how it changes.",
                ]
            )
        ),
        Topic(
            name: "bones", isPlural: true, area: .body,
            keywords: ["skeleton", "bones", "calcium", "joint"],
            technical: [
                "The adult human skeleton consists of about two hundred and six bones that support the body and protect the organs.",
                "Bone is a living tissue composed of collagen and calcium phosphate minerals.",
                "Red bone marrow produces blood cells.",
                "Bones are connected at joints and moved by muscles attached through tendons.",
            ],
            simple: [
                "Bones are the hard parts inside your body that hold you up.",
                "All your bones together are called your skeleton.",
                "Grown-ups have about two hundred and six bones.",
                "Bones are alive, and they can grow and fix themselves when they break.",
                "Milk and cheese have calcium, which helps make bones strong.",
            ],
            analogies: [
                Analogy("your skeleton", "the frame of a house that holds everything up"),
                Analogy("your skull", "a helmet that keeps your brain safe"),
            ],
            facts: [
                Fact("Grown-ups have about two hundred and six bones.", ["two hundred"]),
                Fact("Bones are alive and can heal.", ["alive"]),
                Fact("Calcium helps make bones strong.", ["calcium"]),
                Fact("Your skull keeps your brain safe.", ["skull"]),
            ],
            misconception: Misconception(
                claim: "Bones are dead, like the chalk on a blackboard.",
                triggers: ["bones are dead"],
                correction: "Bones are alive; they grow, and they mend when they break."
            ),
            childQuestion: "Can you find the bones in your hand and count how many you can feel?",
            storyIdea: "a skeleton who wanted to dance"
        ),
        Topic(
            name: "teeth", isPlural: true, area: .body,
            keywords: ["tooth", "teeth", "enamel", "cavity", "brush"],
            technical: [
                "Teeth are mineralised structures used for mastication, covered by enamel, the hardest substance in the human body.",
                "Beneath the enamel lies dentin and a pulp cavity containing nerves and blood vessels.",
                "Children have twenty deciduous teeth, which are replaced by thirty two permanent teeth.",
                "Bacteria in dental plaque metabolise sugars into acids that demineralise enamel, causing caries.",
            ],
            simple: [
                "Teeth are the hard, white parts in your mouth that you use to bite and chew.",
                "The outside of a tooth is covered in enamel, the hardest stuff in your whole body.",
                "Kids have twenty baby teeth that fall out and are replaced by grown-up teeth.",
                "Germs in your mouth turn sugar into acid, which can make holes in teeth.",
                "Brushing twice a day keeps your teeth clean and strong.",
            ],
            analogies: [
                Analogy("enamel", "a shiny coat of armor on each tooth"),
                Analogy("brushing your teeth", "sweeping the floor before the dirt builds up"),
            ],
            facts: [
                Fact("Enamel is the hardest part of the body.", ["hardest"]),
                Fact("Kids have twenty baby teeth.", ["twenty"]),
                Fact("Sugar helps germs make holes in teeth.", ["sugar"]),
                Fact("Brushing twice a day keeps teeth healthy.", ["twice"]),
            ],
            misconception: Misconception(
                claim: "Baby teeth do not matter because they fall out anyway.",
                triggers: ["do not matter"],
                correction: "Baby teeth matter; they keep space for grown-up teeth and help you chew and talk."
            ),
            childQuestion: "How many of your baby teeth have fallen out so far?",
            storyIdea: "a wobbly tooth that did not want to fall out",
            howTo: HowTo(
                questions: ["How can I brush my teeth the right way?", "How can I keep my teeth healthy?"],
                steps: [
                    "Put a pea sized bit of toothpaste on a soft brush.",
                    "Brush in small circles on the front, back and top of every tooth.",
                    "Brush for two minutes, about as long as a song.",
                    "Gently brush your tongue too.",
                    "Spit out the toothpaste and do it again before bed.",
                ]
            )
        ),
        Topic(
            name: "sleep", area: .body,
            keywords: ["sleep", "dream", "asleep", "tired"],
            technical: [
                "Sleep is a recurring state of reduced consciousness and responsiveness regulated by circadian rhythms and homeostatic pressure.",
                "A night of sleep cycles through non-REM stages and REM sleep roughly every ninety minutes.",
                "Vivid dreaming occurs mostly during REM sleep, when skeletal muscles are temporarily paralysed.",
                "During sleep the brain consolidates memories and clears metabolic waste.",
            ],
            simple: [
                "Sleep is the time when your body and brain rest and get ready for a new day.",
                "Kids need about ten hours of sleep every night.",
                "While you sleep, your brain sorts out what you learned during the day.",
                "Your body also grows and fixes itself while you sleep.",
                "Dreams happen in a part of sleep when your eyes move fast under your eyelids.",
            ],
            analogies: [
                Analogy("sleep", "charging a phone so it works all the next day"),
                Analogy("your brain at night", "a librarian putting the day's books back on the right shelves"),
            ],
            facts: [
                Fact("Kids need about ten hours of sleep.", ["ten hours"]),
                Fact("The brain sorts out memories during sleep.", ["brain"]),
                Fact("The body grows during sleep.", ["grow"]),
                Fact("Dreams happen when your eyes move fast.", ["eyes"]),
            ],
            misconception: Misconception(
                claim: "Your brain switches off completely when you sleep.",
                triggers: ["switches off"],
                correction: "Your brain stays busy while you sleep, sorting memories and making dreams."
            ),
            childQuestion: "What was the funniest dream you can remember?",
            storyIdea: "a little owl who could not fall asleep at night"
        ),
        Topic(
            name: "germs", isPlural: true, area: .body,
            keywords: ["germ", "bacteria", "virus", "soap"],
            technical: [
                "Germs are pathogenic microorganisms, chiefly bacteria, viruses and fungi, that can cause infectious disease.",
                "Bacteria are single-celled prokaryotes, while viruses replicate only inside host cells.",
                "Soap molecules disrupt the lipid membranes of many pathogens and lift them off the skin.",
                "The immune system recognises antigens and produces antibodies against them.",
            ],
            simple: [
                "Germs are tiny living things that are too small to see.",
                "Some germs can make you sick, like when you catch a cold.",
                "Most germs are harmless, and some even help you, like the ones in your tummy.",
                "Washing your hands with soap washes germs away.",
                "Your body has its own army that fights germs that get inside.",
            ],
            analogies: [
                Analogy("soap", "a tiny hook that grabs germs so the water can wash them away"),
                Analogy("your body fighting germs", "a castle with guards that chase out invaders"),
            ],
            facts: [
                Fact("Germs are too small to see.", ["small", "see"]),
                Fact("Washing hands with soap removes germs.", ["soap"]),
                Fact("Some germs are good for you.", ["good"]),
                Fact("Your body fights germs.", ["fight"]),
            ],
            misconception: Misconception(
                claim: "All germs are bad and make you sick.",
                triggers: ["all germs are bad"],
                correction: "Most germs are harmless, and many help us, for example by helping us digest food."
            ),
            childQuestion: "Can you wash your hands for as long as it takes to sing the birthday song twice?",
            storyIdea: "a germ who tried to sneak into a boy's lunch",
            howTo: HowTo(
                questions: ["How can I wash my hands the right way?", "How can I get rid of germs on my hands?"],
                steps: [
                    "Wet your hands with clean water.",
                    "Rub soap all over, on the backs, between your fingers and under your nails.",
                    "Keep rubbing for twenty seconds, while you sing a short song.",
                    "Rinse the soap off under the water.",
                    "Dry your hands on a clean towel.",
                ]
            )
        ),
        Topic(
            name: "the brain", area: .body,
            keywords: ["brain", "nerve", "neuron"],
            technical: [
                "The brain is the central organ of the nervous system, containing roughly eighty six billion neurons.",
                "Neurons communicate through electrochemical signals across synapses.",
                "The cerebral cortex supports perception, language and reasoning, while the cerebellum coordinates movement.",
                "The brain consumes about twenty percent of the body's energy at rest.",
            ],
            simple: [
                "Your brain is the part of you that thinks, feels and remembers.",
                "It sits inside your head, safe in your hard skull.",
                "It is made of billions of tiny cells called neurons that send messages to each other.",
                "Nerves carry messages from your brain to your body and back, very fast.",
                "Your brain gets stronger when you learn new things.",
            ],
            analogies: [
                Analogy("your brain", "the boss of a big team that sends orders all over the body"),
                Analogy("nerves", "telephone wires that carry messages to and from the brain"),
            ],
            facts: [
                Fact("The brain is made of billions of neurons.", ["neuron"]),
                Fact("Nerves carry messages around the body.", ["nerve", "message"]),
                Fact("The skull keeps the brain safe.", ["skull"]),
                Fact("The brain grows new links when you learn.", ["learn"]),
            ],
            misconception: Misconception(
                claim: "We only use ten percent of our brain.",
                triggers: ["ten percent"],
                correction: "We use all of our brain, just not every part at the same moment."
            ),
            childQuestion: "What is something new you would like to teach your brain this week?",
            storyIdea: "a brain that sent messages to a boy's toes"
        ),
        Topic(
            name: "digestion", area: .body,
            keywords: ["digest", "stomach", "intestine", "swallow"],
            technical: [
                "Digestion is the mechanical and enzymatic breakdown of food into molecules small enough to be absorbed into the bloodstream.",
                "Salivary amylase begins starch digestion in the mouth, and gastric acid and pepsin act on proteins in the stomach.",
                "Most nutrient absorption takes place across the villi of the small intestine.",
                "The large intestine absorbs water and hosts a dense community of gut bacteria.",
            ],
            simple: [
                "Digestion is how your body breaks food down so it can use it.",
                "It starts in your mouth, where your teeth chew and spit makes the food soft.",
                "When you swallow, the food slides down a tube into your stomach.",
                "Your stomach mashes the food with juices for a few hours.",
                "Then a long, twisty tube called the intestine takes the good parts into your blood.",
            ],
            analogies: [
                Analogy("your stomach", "a mixer that churns food into a soup"),
                Analogy("the intestine", "a long water slide that takes the good stuff out along the way"),
            ],
            facts: [
                Fact("Digestion starts in the mouth.", ["mouth"]),
                Fact("The stomach mashes food with juices.", ["stomach"]),
                Fact("The intestine takes food into the blood.", ["intestine"]),
                Fact("Spit helps make food soft.", ["spit"]),
            ],
            misconception: Misconception(
                claim: "Swallowed gum stays in your stomach for seven years.",
                triggers: ["seven years"],
                correction: "Swallowed gum passes through your body in a few days like other food."
            ),
            childQuestion: "Where do you think your breakfast is in your body right now?",
            storyIdea: "a pea on a trip through a boy's tummy"
        ),
    ]
}
