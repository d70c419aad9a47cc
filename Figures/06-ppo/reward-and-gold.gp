# PPO at β = 0.05: reward-model score and gold score of each batch
# Render from this directory: gnuplot reward-and-gold.gp  (writes reward-and-gold.png)
if (!exists("outfile")) outfile = 'reward-and-gold.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'PPO at β = 0.05: reward-model score and gold score of each batch'
set xlabel 'iteration'
set ylabel 'score'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'reward-and-gold.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     'reward-and-gold.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'gold judge'
